package org.carnet.exports;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.carnet.patients.PatientFiles;
import org.carnet.patients.Sex;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Role;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Synthetic patients, as a practice would have typed them over the phone (phones in the spellings
 * people type), made through {@link PatientFiles#create}: sealed and recorded like any other file.
 */
final class SyntheticPatients {

    static final String[] FIRST = {
        "Jean", "Marie", "Pierre", "Sophie", "Louis", "Emma", "Paul", "Alice", "Jules", "Chloé", "Arthur", "Léa",
        "Gabriel", "Jade", "Raphaël", "Louise", "Adam", "Ambre", "Noé", "Rose"
    };
    static final String[] LAST = {
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
        "Laurent",
        "Lefebvre",
        "Michel",
        "Garcia",
        "David",
        "Bertrand",
        "Roux",
        "Vincent",
        "Fournier",
        "Morel",
        "Girard",
        "André",
        "Mercier",
        "Dupont",
        "Lambert",
        "Bonnet",
        "François",
        "Martinez",
        "Legrand",
        "Garnier",
        "Faure",
        "Rousseau",
        "Blanc",
        "Guerin",
        "Muller",
        "Henry",
        "Roussel",
        "Nicolas",
        "Perrin",
        "Morin",
        "Mathieu",
        "Clement",
        "Gauthier",
        "Dumont",
        "Lopez",
        "Fontaine",
        "Chevalier"
    };

    /** One synthetic person: a row as a data set of this shape has it. */
    record Person(String firstName, String lastName, LocalDate birthDate, String sex, String phone, String email) {}

    private SyntheticPatients() {}

    /** {@code n} random people (same shape as an establishment's patients), reproducible from {@code seed}. */
    static List<Person> people(int n, long seed) {
        Random random = new Random(seed);
        List<Person> people = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            StringBuilder digits = new StringBuilder(random.nextBoolean() ? "06" : "07");
            for (int d = 0; d < 8; d++) {
                digits.append(random.nextInt(10));
            }
            String phone = switch (random.nextInt(4)) {
                case 0 -> digits.toString();
                case 1 -> pairs(digits.toString());
                case 2 -> pairs(digits.toString()).replace(' ', '.');
                default ->
                    "+33 " + digits.charAt(1) + " " + pairs(digits.toString()).substring(3);
            };
            String email = ascii(first) + "." + ascii(last) + random.nextInt(1000) + "@example.test";
            LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(random.nextInt(30_000));
            people.add(new Person(first, last, birth, random.nextBoolean() ? "F" : "M", phone, email));
        }
        return people;
    }

    /** Makes a file for each person in the establishment, as its administrator over the phone. */
    static void file(
            PatientFiles files,
            TransactionTemplate transactions,
            UUID establishment,
            UUID adminLogin,
            List<Person> people) {
        Actor.Person admin =
                new Actor.Person(adminLogin, Role.ESTABLISHMENT_ADMIN, adminLogin, EstablishmentId.of(establishment));
        for (int from = 0; from < people.size(); from += 500) {
            List<Person> batch = people.subList(from, Math.min(people.size(), from + 500));
            transactions.executeWithoutResult(status -> batch.forEach(p -> files.create(
                    establishment,
                    p.firstName(),
                    p.lastName(),
                    p.birthDate(),
                    Sex.valueOf(p.sex()),
                    p.phone(),
                    p.email(),
                    admin)));
        }
    }

    static String pairs(String digits) {
        return digits.substring(0, 2) + " " + digits.substring(2, 4) + " " + digits.substring(4, 6) + " "
                + digits.substring(6, 8) + " " + digits.substring(8, 10);
    }

    private static String ascii(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
    }
}
