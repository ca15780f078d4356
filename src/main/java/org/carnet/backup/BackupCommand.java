package org.carnet.backup;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.carnet.crypto.KeyProvider;
import org.carnet.shared.CommandArguments;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code java -jar carnet.jar backup create FILE} and {@code backup restore FILE}: operator commands
 * that start only the backup and crypto modules on the configured database (no web server, no demo
 * data, no migration) and exit with 0 (done), 1 (restore refused: a non-empty database, a damaged,
 * altered or forged backup; nothing was written), 2 (bad usage) or 3 (could not run). Other {@code
 * --key=value} arguments are Spring properties, as for the server. See docs/operations.md.
 */
public final class BackupCommand {

    public static final int DONE = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;

    private static final String USAGE_TEXT = "usage: backup create FILE | backup restore FILE";

    private BackupCommand() {}

    /** Whether these program arguments ask for a backup command rather than the server. */
    public static boolean handles(String[] args) {
        return args.length > 0 && args[0].equals("backup");
    }

    /** Runs the command; the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandArguments arguments = CommandArguments.of(args);
        List<String> words = arguments.words();
        List<String> springArgs = arguments.springArgs();
        if (words.size() != 2 || !List.of("create", "restore").contains(words.get(0))) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String command = words.get(0);
        Path file = Path.of(words.get(1));
        if (command.equals("restore") && (!Files.isReadable(file) || Files.isDirectory(file))) {
            err.println("backup restore: cannot read " + file);
            return USAGE;
        }
        try (ConfigurableApplicationContext context = start(springArgs)) {
            Backups backups = context.getBean(Backups.class);
            Backups.Outcome outcome = command.equals("create") ? backups.create(file) : backups.restore(file);
            out.printf(
                    Locale.ROOT,
                    "backup %s: OK, %s database %s %s (%d bytes, encrypted) in %.1f s%n",
                    command,
                    outcome.kind(),
                    command.equals("create") ? "written to" : "restored from",
                    file,
                    outcome.bytes(),
                    outcome.elapsed().toMillis() / 1000.0);
            return DONE;
        } catch (BackupRefusedException e) {
            err.println("backup " + command + ": REFUSED: " + e.getMessage() + "; the database was left as it was");
            return REFUSED;
        } catch (RuntimeException e) {
            err.println("backup " + command + ": could not run (" + e.getClass().getSimpleName() + ": "
                    + Redaction.sqlError(e.getMessage()) + cause(e) + ")");
            return FAILED;
        }
    }

    private static ConfigurableApplicationContext start(List<String> springArgs) {
        SpringApplication application = new SpringApplication(CommandContext.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.addInitializers(context -> context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "backup-command",
                        Map.of(
                                "carnet.demo.enabled", "false",
                                "spring.flyway.enabled", "false",
                                "spring.modulith.events.republish-outstanding-events-on-restart", "false"))));
        return application.run(springArgs.toArray(String[]::new));
    }

    /** What lies under a wrapped failure (a database that cannot be reached, say), redacted like the rest. */
    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? "" : "; cause: " + Redaction.sqlError(root.getMessage());
    }

    /**
     * Only the backup and crypto modules and the database. Deliberately not a {@code @Configuration}:
     * the server's component scan must not pick it up.
     */
    // No event publication registry: nothing here publishes, and it would poll a table a restore has not made yet.
    @EnableAutoConfiguration(
            excludeName = {
                "org.springframework.modulith.events.config.EventPublicationAutoConfiguration",
                "org.springframework.modulith.events.jdbc.JdbcEventPublicationAutoConfiguration"
            })
    @ComponentScan(basePackageClasses = {BackupCommand.class, KeyProvider.class})
    static class CommandContext {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }
}
