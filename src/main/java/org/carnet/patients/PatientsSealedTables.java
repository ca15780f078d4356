package org.carnet.patients;

import org.carnet.crypto.SealedTable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The patients module's sealed tables, declared to crypto's one list. */
@Configuration(proxyBeanMethods = false)
class PatientsSealedTables {

    @Bean
    SealedTable patientAccountsTable() {
        return PatientAccounts.SEALED;
    }

    @Bean
    SealedTable patientFilesTable() {
        return PatientFiles.SEALED;
    }

    @Bean
    SealedTable patientFileLinksTable() {
        return FileAccounts.LINKS;
    }

    @Bean
    SealedTable relativesTable() {
        return Relatives.SEALED;
    }
}
