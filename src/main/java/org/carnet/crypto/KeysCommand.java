package org.carnet.crypto;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import org.carnet.shared.CommandArguments;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@code java -jar carnet.jar keys rotate-signing}: adds a new audit-signing key pair to the keystore,
 * which Carnet signs checkpoints, chain heads, backups and exports with from each node's next start; the
 * older pairs stay, so everything they signed still verifies. Only the keystore is touched (no database).
 * Exits with 0 (done), 2 (bad usage) or 3 (could not run). Other {@code --key=value} arguments are Spring
 * properties, as for the server. See docs/operations.md, "Keys".
 */
public final class KeysCommand {

    public static final int DONE = 0;
    public static final int USAGE = 2;
    public static final int FAILED = 3;

    private KeysCommand() {}

    /** Whether these program arguments ask for a keys command rather than the server. */
    public static boolean handles(String[] args) {
        return args.length > 0 && args[0].equals("keys");
    }

    /** Runs the command; the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandArguments arguments = CommandArguments.of(args);
        List<String> words = arguments.words();
        List<String> springArgs = arguments.springArgs();
        if (!words.equals(List.of("rotate-signing"))) {
            err.println("usage: keys rotate-signing");
            return USAGE;
        }
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
