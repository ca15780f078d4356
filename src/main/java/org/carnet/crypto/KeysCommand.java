package org.carnet.crypto;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.shared.CommandArguments;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;

/**
 * The operator's key commands (docs/operations.md, "Keys"):
 *
 * <ul>
 *   <li>{@code keys rotate-signing} adds a new audit-signing key pair to the keystore, which Carnet signs
 *       checkpoints, chain heads, backups and exports with from each node's next start; the older pairs stay,
 *       so everything they signed still verifies. Only the keystore is touched (no database).
 *   <li>{@code keys rotate-master} adds a new master key to its holder and re-wraps every data key under it
 *       ({@link MasterKeyRotation}).
 *   <li>{@code keys rotate-data --establishment ID} gives the establishment a new data key version and re-seals
 *       its values under it ({@link DataKeyRotation}); {@code --patient ID} (a patient account), {@code --login
 *       ID} and {@code --professional ID} (a practitioner id, or a staff member's login id) do the same for
 *       those owners, whose values are partly in the inbox and outbox they share.
 * </ul>
 *
 * The last two start Carnet on the configured database (migrating it, as the server would) without listening
 * on any port, print their progress, and may run while the servers do; stopped halfway, running them again
 * finishes the job. Exits with 0 (done), 1 (refused: nothing to rotate, keys shredded), 2 (bad usage) or 3
 * (could not run). Other {@code --key=value} arguments are Spring properties, as for the server.
 */
public final class KeysCommand {

    public static final int DONE = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;

    private KeysCommand() {}

    /** Whether these program arguments ask for a keys command rather than the server. */
    public static boolean handles(String[] args) {
        return args.length > 0 && args[0].equals("keys");
    }

    private static final String USAGE_TEXT = "usage: keys rotate-signing\n       keys rotate-master\n"
            + "       keys rotate-data (--establishment | --patient | --login | --professional) ID";

    /** Whose data key {@code rotate-data} rotates: the option, and the words the command prints. */
    private static final Map<String, KeyOwner.Type> OWNER_OPTIONS = Map.of(
            "--establishment", KeyOwner.Type.ESTABLISHMENT,
            "--patient", KeyOwner.Type.PATIENT_ACCOUNT,
            "--login", KeyOwner.Type.LOGIN,
            "--professional", KeyOwner.Type.PROFESSIONAL);

    private static final Map<KeyOwner.Type, String> OWNER_NAMES = Map.of(
            KeyOwner.Type.ESTABLISHMENT, "establishment",
            KeyOwner.Type.PATIENT_ACCOUNT, "patient account",
            KeyOwner.Type.LOGIN, "login",
            KeyOwner.Type.PROFESSIONAL, "professional");

    /** Runs the command, in an application started from {@code application} when it needs the database. */
    public static int run(Class<?> application, String[] args, PrintStream out, PrintStream err) {
        CommandArguments arguments = CommandArguments.of(args);
        List<String> words = new java.util.ArrayList<>(arguments.words());
        List<String> springArgs = new java.util.ArrayList<>(arguments.springArgs());
        // --establishment=ID (--patient=ID, …) reads as a property: take it back.
        for (String option : OWNER_OPTIONS.keySet()) {
            springArgs.stream()
                    .filter(arg -> arg.startsWith(option + "="))
                    .findFirst()
                    .ifPresent(arg -> {
                        springArgs.remove(arg);
                        words.add(option);
                        words.add(arg.substring(option.length() + 1));
                    });
        }
        if (words.equals(List.of("rotate-signing"))) {
            return rotateSigning(springArgs, out, err);
        }
        if (words.equals(List.of("rotate-master"))) {
            return inCarnet(application, springArgs, "rotate-master", err, context -> {
                MasterKeyRotation.Result result = context.getBean(MasterKeyRotation.class)
                        .rotate(progress -> out.println("keys rotate-master: " + progress.rewrapped()
                                + " data keys re-wrapped under " + progress.masterKey() + ", " + progress.left()
                                + " left"));
                out.println("keys rotate-master: OK, " + result.masterKey() + " wraps every data key"
                        + (result.resumed() ? " (an unfinished rotation finished)" : "") + "; "
                        + result.rewrapped() + " re-wrapped; data keys by master key: " + result.wrappedBy());
            });
        }
        if (words.size() == 3 && words.get(0).equals("rotate-data") && OWNER_OPTIONS.containsKey(words.get(1))) {
            KeyOwner owner;
            try {
                owner = new KeyOwner(OWNER_OPTIONS.get(words.get(1)), UUID.fromString(words.get(2)));
            } catch (IllegalArgumentException e) {
                err.println(USAGE_TEXT);
                return USAGE;
            }
            String whose = OWNER_NAMES.get(owner.type()) + " " + owner.id();
            return inCarnet(application, springArgs, "rotate-data", err, context -> {
                DataKeyRotation rotation = context.getBean(DataKeyRotation.class);
                out.println("keys rotate-data: " + whose + ", values by data key version: " + rotation.versions(owner));
                DataKeyRotation.Result result = rotation.rotate(
                        owner,
                        progress -> out.println("keys rotate-data: pass " + progress.pass() + ", " + progress.table()
                                + ": " + progress.resealed() + " values re-sealed so far under version "
                                + progress.version()));
                out.println("keys rotate-data: OK, every value of " + whose
                        + " sealed with data key version " + result.version()
                        + (result.resumed() ? " (an unfinished rotation finished)" : "") + "; "
                        + result.resealed() + " re-sealed in " + result.passes() + " passes; by version: "
                        + rotation.versions(owner));
            });
        }
        err.println(USAGE_TEXT);
        return USAGE;
    }

    private static int inCarnet(
            Class<?> application,
            List<String> springArgs,
            String command,
            PrintStream err,
            java.util.function.Consumer<ConfigurableApplicationContext> work) {
        SpringApplication carnet = new SpringApplication(application);
        carnet.setBannerMode(Banner.Mode.OFF);
        carnet.setLogStartupInfo(false);
        carnet.addInitializers(context -> context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "keys-command",
                        Map.of(
                                // The whole application, for every module's sealed tables, but no port.
                                "server.port", "-1",
                                "carnet.demo.enabled", "false",
                                "carnet.audit.sealer-enabled", "false",
                                "spring.modulith.events.republish-outstanding-events-on-restart", "false"))));
        try (ConfigurableApplicationContext context = carnet.run(springArgs.toArray(String[]::new))) {
            work.accept(context);
            return DONE;
        } catch (KeyShreddedException | IllegalArgumentException e) {
            err.println("keys " + command + ": refused (" + e.getMessage() + ")");
            return REFUSED;
        } catch (RuntimeException e) {
            err.println("keys " + command + ": could not run (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); running it again finishes what was started");
            return FAILED;
        }
    }

    private static int rotateSigning(List<String> springArgs, PrintStream out, PrintStream err) {
        SpringApplication application = new SpringApplication(KeysContext.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        try (ConfigurableApplicationContext context = application.run(springArgs.toArray(String[]::new))) {
            ConfiguredKeyProvider keys = context.getBean(ConfiguredKeyProvider.class);
            String previous = keys.checkpointSigningKeyId();
            String next = keys.rotateSigningKey();
            out.println("keys rotate-signing: OK, " + next + " signs from each node's next start; " + previous
                    + " and older keys still verify what they signed");
            return DONE;
        } catch (RuntimeException e) {
            err.println("keys rotate-signing: could not run (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + ")");
            return FAILED;
        }
    }

    /** The keystore alone: no database, no web server. Not a {@code @Configuration}: the server must not scan it. */
    @EnableConfigurationProperties(CryptoProperties.class)
    @Import(ConfiguredKeyProvider.class)
    static class KeysContext {
        @Bean
        SecureRandom secureRandom() {
            return new SecureRandom();
        }
    }
}
