package org.carnet.shared;

import java.util.ArrayList;
import java.util.List;

/**
 * An operator command's arguments ({@code java -jar carnet.jar audit verify --spring.datasource.url=…}): its
 * words after the command's name, and the {@code --key=value} ones, which are Spring properties as for the
 * server, after the commands' quiet logging defaults (so that an operator's own {@code --logging.level…}
 * wins).
 *
 * @param words what follows the command's name, other than properties
 * @param springArgs the properties, to start the command's application with
 */
public record CommandArguments(List<String> words, List<String> springArgs) {

    public CommandArguments {
        words = List.copyOf(words);
        springArgs = List.copyOf(springArgs);
    }

    /** Splits {@code args}, whose first element is the command's name. */
    public static CommandArguments of(String[] args) {
        List<String> words = new ArrayList<>();
        List<String> springArgs = new ArrayList<>(List.of(
                "--logging.level.root=WARN", "--logging.level.org.carnet=WARN", "--spring.main.banner-mode=off"));
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--") && args[i].contains("=")) {
                springArgs.add(args[i]);
            } else {
                words.add(args[i]);
            }
        }
        return new CommandArguments(words, springArgs);
    }
}
