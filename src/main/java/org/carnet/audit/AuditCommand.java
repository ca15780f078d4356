package org.carnet.audit;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.carnet.crypto.KeyProvider;
import org.carnet.shared.CommandArguments;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code java -jar carnet.jar audit verify [--checkpoints FILE]}, {@code audit export-checkpoints FILE}
 * and {@code audit public-key}: operator commands that start only the audit and crypto modules on
 * the configured database (no web server, no demo data, no migration, no sealing) and exit with
 * 0 (intact), 1 (a break was found), 2 (bad usage) or 3 (could not run). Other {@code --key=value}
 * arguments are Spring properties, as for the server. {@code verify} checks the database against the
 * witness directory ({@code carnet.audit.witness.directory}) and says so loudly when there is none.
 */
public final class AuditCommand {

    public static final int INTACT = 0;
    public static final int BROKEN = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;

    private static final String USAGE_TEXT =
            "usage: audit verify [--checkpoints FILE] | audit export-checkpoints FILE | audit public-key";

    private AuditCommand() {}

    /** Whether these program arguments ask for an audit command rather than the server. */
    public static boolean handles(String[] args) {
        return args.length > 0 && args[0].equals("audit");
    }

    /** Runs the command; the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandArguments arguments = CommandArguments.of(args);
        List<String> words = arguments.words();
        List<String> springArgs = arguments.springArgs();
        if (words.isEmpty()) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String command = words.get(0);
        Path checkpointFile = null;
        switch (command) {
            case "verify" -> {
                if (words.size() == 3 && words.get(1).equals("--checkpoints")) {
                    checkpointFile = Path.of(words.get(2));
                    if (!Files.isReadable(checkpointFile)) {
                        err.println("audit verify: cannot read the checkpoint file " + checkpointFile);
                        return USAGE;
                    }
                } else if (words.size() != 1) {
                    err.println(USAGE_TEXT);
                    return USAGE;
                }
            }
            case "export-checkpoints" -> {
                if (words.size() != 2) {
                    err.println(USAGE_TEXT);
                    return USAGE;
                }
            }
            case "public-key" -> {
                if (words.size() != 1) {
                    err.println(USAGE_TEXT);
                    return USAGE;
                }
            }
            default -> {
                err.println(USAGE_TEXT);
                return USAGE;
            }
        }
        try (ConfigurableApplicationContext context = start(springArgs)) {
            return switch (command) {
                case "verify" -> verify(context.getBean(AuditVerifier.class), checkpointFile, out);
                case "export-checkpoints" -> {
                    int n = context.getBean(AuditChains.class).exportCheckpoints(Path.of(words.get(1)));
                    out.println("audit export-checkpoints: " + n + " checkpoints written to " + words.get(1));
                    yield INTACT;
                }
                default -> {
                    out.println(context.getBean(AuditChains.class).publicKey());
                    yield INTACT;
                }
            };
        } catch (RuntimeException e) {
            err.println("audit " + command + ": could not run (" + e.getClass().getSimpleName() + ": " + rootMessage(e)
                    + ")");
            return FAILED;
        }
    }

    private static int verify(AuditVerifier verifier, @Nullable Path checkpointFile, PrintStream out) {
        AuditVerification result = checkpointFile == null ? verifier.verify() : verifier.verify(checkpointFile);
        if (!result.witnessed()) {
            out.println(
                    "audit verify: WARNING: NO WITNESS (carnet.audit.witness.directory is not set): the database was"
                            + " checked only against itself"
                            + (checkpointFile == null ? "" : " and the checkpoint file")
                            + "; a database administrator can rewrite the log undetected");
        }
        if (result.intact()) {
            out.printf(
                    Locale.ROOT,
                    "audit verify: OK, %d entries checked in %d chains (%d awaiting their seal) in %.1f s%n",
                    result.entriesChecked(),
                    result.chains(),
                    result.pending(),
                    result.elapsed().toMillis() / 1000.0);
            return INTACT;
        }
        out.println(
                "audit verify: BROKEN, first break: " + result.breaks().get(0).describe());
        for (AuditBreak other : result.breaks().subList(1, result.breaks().size())) {
            out.println("  also: " + other.describe());
        }
        out.println("audit verify: " + result.breaks().size() + " broken chains of " + result.chains() + "; "
                + result.entriesChecked() + " entries checked before the breaks");
        return BROKEN;
    }

    private static ConfigurableApplicationContext start(List<String> springArgs) {
        SpringApplication application = new SpringApplication(CommandContext.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.addInitializers(context -> context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "audit-command",
                        Map.of(
                                "carnet.demo.enabled", "false",
                                "carnet.audit.sealer-enabled", "false",
                                "spring.flyway.enabled", "false",
                                // Only the audit and crypto modules run here: no listener to deliver events to.
                                "spring.modulith.events.republish-outstanding-events-on-restart", "false"))));
        return application.run(springArgs.toArray(String[]::new));
    }

    /** A message that names the cause (a database that cannot be reached, say) without any row content. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null
                ? root.getClass().getSimpleName()
                : message.lines().findFirst().orElse("");
    }

    /**
     * Only the audit and crypto modules and the database. Deliberately not a {@code @Configuration}:
     * the server's component scan must not pick it up.
     */
    @EnableAutoConfiguration
    @ComponentScan(basePackageClasses = {AuditCommand.class, KeyProvider.class})
    static class CommandContext {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }
}
