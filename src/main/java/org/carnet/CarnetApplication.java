package org.carnet;

import org.carnet.administration.AdminCommand;
import org.carnet.audit.AuditCommand;
import org.carnet.backup.BackupCommand;
import org.carnet.crypto.KeysCommand;
import org.carnet.exports.LeakTraceCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class CarnetApplication {
    /**
     * Starts the server, or runs an operator command ({@code audit verify}, see {@link AuditCommand};
     * {@code admin bootstrap}, see {@link AdminCommand}; {@code leak-trace FILE...}, see {@link
     * LeakTraceCommand}; {@code backup create|restore FILE}, see {@link BackupCommand}; {@code keys rotate-signing|rotate-master|rotate-data},
     * see {@link KeysCommand}).
     */
    public static void main(String[] args) {
        if (AuditCommand.handles(args)) {
            System.exit(AuditCommand.run(args, System.out, System.err));
        }
        if (AdminCommand.handles(args)) {
            System.exit(AdminCommand.run(CarnetApplication.class, args, System.out, System.err));
        }
        if (LeakTraceCommand.handles(args)) {
            System.exit(LeakTraceCommand.run(CarnetApplication.class, args, System.out, System.err));
        }
        if (BackupCommand.handles(args)) {
            System.exit(BackupCommand.run(args, System.out, System.err));
        }
        if (KeysCommand.handles(args)) {
            System.exit(KeysCommand.run(CarnetApplication.class, args, System.out, System.err));
        }
        SpringApplication.run(CarnetApplication.class, args);
    }
}
