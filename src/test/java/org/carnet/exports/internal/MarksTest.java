package org.carnet.exports.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarksTest {

    private final Marks a = new Marks(new byte[32]);
    private final Marks b = new Marks(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32
    });

    @Test
    void everySpellingOfAPhoneMeansTheSameNumberAndReadsBackAsTheExportsChoice() {
        Set<String> spellings = new HashSet<>();
        for (String typed : new String[] {
            "0612345678",
            "06 12 34 56 78",
            "06.12.34.56.78",
            "+33 6 12 34 56 78",
            "+33612345678",
            "0033 6 12 34 56 78",
            "06-12-34-56-78"
        }) {
            String written = a.phone(typed);
            spellings.add(written);
            Marks.Mark mark = Marks.read(written);
            assertThat(mark).isNotNull();
            assertThat(mark.kind()).isEqualTo(Marks.Kind.PHONE);
            assertThat(mark.anchor()).isEqualTo("0612345678");
            assertThat(mark.spelling()).isEqualTo(a.expected(Marks.Kind.PHONE, "0612345678"));
        }
        assertThat(spellings).as("one export spells one number one way").hasSize(1);
        assertThat(Marks.read("'" + "+33 6 12 34 56 78").anchor())
                .as("a spreadsheet's formula guard")
                .isEqualTo("0612345678");
    }

    @Test
    void theFourPhoneSpellingsAreAllUsedAndTwoExportsDisagreeOnAboutThreeQuarters() {
        int[] used = new int[4];
        int disagree = 0;
        for (int i = 0; i < 4000; i++) {
            String digits = String.format("06%08d", i * 7919L % 100_000_000L);
            Marks.Mark mark = Marks.read(a.phone(digits));
            used[mark.spelling()]++;
            if (!a.phone(digits).equals(b.phone(digits))) {
                disagree++;
            }
        }
        for (int count : used) {
            assertThat(count).isBetween(850, 1150);
        }
        assertThat(disagree).isBetween(2800, 3200);
    }

    @Test
    void namesAreInCapitalsOrWithCapitalInitialsAndDatesIsoOrDayFirst() {
        Set<String> seen = new HashSet<>();
        for (String name : new String[] {
            "dupont",
            "Jean-Pierre",
            "de la fontaine",
            "N'Diaye",
            "éloïse",
            "martin",
            "bernard",
            "petit",
            "durand",
            "leroy"
        }) {
            String written = a.name(name);
            seen.add(written.equals(written.toUpperCase(java.util.Locale.ROOT)) ? "upper" : "title");
            Marks.Mark mark = Marks.read(written);
            assertThat(mark.kind()).isEqualTo(Marks.Kind.NAME);
            assertThat(mark.anchor()).isEqualTo(name.toLowerCase(java.util.Locale.ROOT));
            assertThat(mark.spelling()).isEqualTo(a.expected(Marks.Kind.NAME, mark.anchor()));
        }
        assertThat(seen).containsExactlyInAnyOrder("upper", "title");
        assertThat(Marks.read("Jean-Pierre").spelling()).isEqualTo(1);
        assertThat(Marks.read("JEAN-PIERRE").spelling()).isEqualTo(0);
        assertThat(Marks.read("jean-pierre")).as("recased: no longer a mark").isNull();
        assertThat(Marks.read("McDonald")).isNull();

        LocalDate date = LocalDate.of(1980, 3, 14);
        Marks.Mark mark = Marks.read(a.date(date));
        assertThat(mark.anchor()).isEqualTo("1980-03-14");
        assertThat(Marks.read("14/03/1980").spelling()).isEqualTo(1);
        assertThat(Marks.read("31/02/1980")).isNull();
    }

    @Test
    void valuesWithoutAMarkAreLeftAsTyped() {
        assertThat(a.phone("+44 20 7946 0958")).isEqualTo("+44 20 7946 0958");
        assertThat(a.name("X Æ A-12")).isEqualTo("X Æ A-12");
        assertThat(Marks.read("+44 20 7946 0958")).isNull();
        assertThat(Marks.read("a1b2c3")).isNull();
        assertThat(Marks.read("F")).isNull();
    }
}
