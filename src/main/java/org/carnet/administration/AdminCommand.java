package org.carnet.administration;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.carnet.directory.Finess;
import org.carnet.identity.EnrolmentCodes;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The platform operator's commands, {@code java -jar carnet.jar admin ...}: {@code bootstrap --email E
 * [--name N]} creates the platform's first security officer, {@code establishment create --finess F
 * --name N --address A --city C --postcode P --admin-email E [--admin-name N]} an establishment with
 * its administrator. Each prints the new login's one-time enrolment code (valid {@link
 * EnrolmentCodes#VALIDITY}), to be handed to that person only, who uses it on {@code /enrol}. Carnet
 * starts on the configured database (migrating it, as the server would) without listening on any
 * port and without demo data, does the one thing and exits: 0 done, 1 refused (an officer already
 * exists, a FINESS or e-mail already taken, a malformed value), 2 bad usage, 3 could not run. Other
 * {@code --key=value} arguments are Spring properties, as for the server.
 */
public final class AdminCommand {

    public static final int DONE = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;

    private static final String USAGE_TEXT = "usage: admin bootstrap --email E [--name N]\n"
            + "       admin establishment create --finess F --name N --address A --city C --postcode P"
            + " --admin-email E [--admin-name N]";
    private static final Set<String> OPTIONS =
            Set.of("email", "name", "finess", "address", "city", "postcode", "admin-email", "admin-name");

    private AdminCommand() {}

    /** Whether these program arguments ask for an operator command rather than the server. */
    public static boolean handles(String[] args) {
        return args.length > 0 && args[0].equals("admin");
    }

    /** Runs the command in an application started from {@code application}; the exit status. */
    public static int run(Class<?> application, String[] args, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        List<String> springArgs = new ArrayList<>(List.of(
                "--logging.level.root=WARN", "--logging.level.org.carnet=WARN", "--spring.main.banner-mode=off"));
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String option = arg.startsWith("--") ? arg.substring(2) : null;
            if (option != null && option.contains("=") && OPTIONS.contains(option.substring(0, option.indexOf('=')))) {
                options.put(option.substring(0, option.indexOf('=')), option.substring(option.indexOf('=') + 1));
            } else if (option != null && OPTIONS.contains(option) && i + 1 < args.length) {
                options.put(option, args[++i]);
            } else if (option != null && option.contains("=")) {
                springArgs.add(arg);
            } else {
                words.add(arg);
            }
        }
        String command = String.join(" ", words);
        boolean bootstrap = command.equals("bootstrap") && options.containsKey("email");
        boolean establishment = command.equals("establishment create")
                && options.keySet()
                        .containsAll(List.of("finess", "name", "address", "city", "postcode", "admin-email"));
        if (!bootstrap && !establishment) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        try (ConfigurableApplicationContext context = start(application, springArgs)) {
            Onboarding onboarding = context.getBean(Onboarding.class);
            if (bootstrap) {
                EnrolmentCodes.IssuedCode code = onboarding.firstSecurityOfficer(
                        options.getOrDefault("email", ""), options.getOrDefault("name", "Responsable sécurité"));
                out.println("admin bootstrap: security officer created.");
                print(code, out);
            } else {
                Onboarding.NewEstablishment created = onboarding.establishment(
                        new Finess(options.getOrDefault("finess", "")),
                        options.getOrDefault("name", ""),
                        options.getOrDefault("address", ""),
                        options.getOrDefault("city", ""),
                        options.getOrDefault("postcode", ""),
                        options.getOrDefault("admin-email", ""),
                        options.getOrDefault("admin-name", "Administrateur"));
                out.println("admin establishment create: establishment "
                        + created.establishment().id() + " created with its administrator.");
                print(created.administratorCode(), out);
            }
            return DONE;
        } catch (ConflictException | InvalidRequestException | IllegalArgumentException e) {
            err.println("admin " + command + ": refused (" + e.getMessage() + ")");
            return REFUSED;
        } catch (RuntimeException e) {
            err.println("admin " + command + ": could not run (" + e.getClass().getSimpleName() + ")");
            return FAILED;
        }
    }

    /** The one place the code is shown: on the operator's terminal, never in a log. */
    private static void print(EnrolmentCodes.IssuedCode code, PrintStream out) {
        out.println("One-time enrolment code, valid until " + code.expiresAt().truncatedTo(ChronoUnit.SECONDS)
                + " (UTC), for that person only:");
        out.println();
        out.println("    " + code.code());
        out.println();
        out.println(
                "They open /enrol on Carnet's site, type the code, choose a password and add an authenticator app.");
    }

    private static ConfigurableApplicationContext start(Class<?> application, List<String> springArgs) {
        SpringApplication carnet = new SpringApplication(application);
        carnet.setBannerMode(Banner.Mode.OFF);
        carnet.setLogStartupInfo(false);
        carnet.addInitializers(context -> context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "admin-command",
                        Map.of(
                                // The whole application, so the database is migrated as the server would,
                                // but no port is opened.
                                "server.port", "-1",
                                "carnet.demo.enabled", "false",
                                "carnet.audit.sealer-enabled", "false",
                                "spring.modulith.events.republish-outstanding-events-on-restart", "false"))));
        return carnet.run(springArgs.toArray(String[]::new));
    }
}
