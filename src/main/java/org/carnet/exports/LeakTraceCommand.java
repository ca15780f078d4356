package org.carnet.exports;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.carnet.shared.CommandArguments;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code java -jar carnet.jar leak-trace FILE...}: which export a suspected leak (CSV, JSON, NDJSON or
 * the text of a SQL dump; whole or partial; columns dropped, renamed, reordered or re-cased; converted
 * from one format to another) came from. Starts Carnet on the configured database without a port or
 * demo data, reads the files as one leak and prints the export (establishment, recipient, dates, who
 * approved), how many rows match and the false-attribution probability. Exits 0 when attributed, 3
 * when not ("not from a Carnet export"), 2 on bad usage or an unreadable file, 1 when it could not run.
 * Other {@code --key=value} arguments are Spring properties, as for the server.
 */
public final class LeakTraceCommand {

    public static final int ATTRIBUTED = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NOT_ATTRIBUTED = 3;

    private static final String USAGE_TEXT = "usage: leak-trace FILE...";

    private LeakTraceCommand() {}

    /** Whether these program arguments ask for leak tracing rather than the server. */
    public static boolean handles(String[] args) {
        return args.length > 0 && args[0].equals("leak-trace");
    }

    /** Runs the command in an application started from {@code application}; the exit status. */
    public static int run(Class<?> application, String[] args, PrintStream out, PrintStream err) {
        CommandArguments arguments = CommandArguments.of(args);
        List<Path> files = arguments.words().stream().map(Path::of).toList();
        List<String> springArgs = arguments.springArgs();
        if (files.isEmpty()) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        for (Path file : files) {
            if (!Files.isReadable(file) || Files.isDirectory(file)) {
                err.println("leak-trace: cannot read " + file);
                return USAGE;
            }
        }
        try (ConfigurableApplicationContext context = start(application, springArgs)) {
            Attribution attribution = context.getBean(LeakTracer.class).trace(files);
            attribution.describe().forEach(out::println);
            return attribution.attributed() ? ATTRIBUTED : NOT_ATTRIBUTED;
        } catch (RuntimeException e) {
            err.println("leak-trace: could not run (" + e.getClass().getSimpleName() + ")");
            return FAILED;
        }
    }

    private static ConfigurableApplicationContext start(Class<?> application, List<String> springArgs) {
        SpringApplication carnet = new SpringApplication(application);
        carnet.setBannerMode(Banner.Mode.OFF);
        carnet.setLogStartupInfo(false);
        carnet.addInitializers(context -> context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "leak-trace-command",
                        Map.of(
                                "server.port", "-1",
                                "carnet.demo.enabled", "false",
                                "carnet.audit.sealer-enabled", "false",
                                "spring.modulith.events.republish-outstanding-events-on-restart", "false"))));
        return carnet.run(springArgs.toArray(String[]::new));
    }
}
