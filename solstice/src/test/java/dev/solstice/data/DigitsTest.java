package dev.solstice.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Prng;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The digits loader and the batching helpers. */
class DigitsTest {

    @Test
    void loadsAllRowsWithLabelsAndPixelsInRange() {
        Digits d = Digits.load();
        assertEquals(1797, d.size());
        Array x = d.images();
        assertEquals(DType.FLOAT32, x.dtype());
        assertArrayEquals(new int[] {1797, 64}, x.shape());
        assertArrayEquals(new int[] {1797, 1, 8, 8}, d.imagesNchw().shape());
        Array y = d.labels();
        assertEquals(DType.INT32, y.dtype());
        int[] labels = y.toIntArray();
        int[] counts = new int[10];
        for (int l : labels) {
            assertTrue(l >= 0 && l <= 9, "label " + l);
            counts[l]++;
        }
        for (int c = 0; c < 10; c++) {
            assertTrue(counts[c] > 150, "class " + c + " has " + counts[c]);
        }
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x.toFloatArray()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        // the first row of the file: 0,0,5,13,9,1,0,0,... label 0
        float[] first = Arrays.copyOf(x.toFloatArray(), 8);
        assertArrayEquals(new float[] {0, 0, 5 / 16f, 13 / 16f, 9 / 16f, 1 / 16f, 0, 0}, first);
        assertEquals(0, labels[0]);
    }

    @Test
    void provenanceNoteShipsNextToTheData() throws Exception {
        try (var in = Digits.class.getResourceAsStream("/dev/solstice/data/README.md")) {
            String note = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(note.contains("CC BY 4.0") && note.contains("Alpaydin") && note.contains("UCI"), note);
        }
    }

    @Test
    void subsetPicksRowsInOrder() {
        Digits d = Digits.load();
        Digits s = d.subset(new int[] {2, 0, 2});
        assertEquals(3, s.size());
        float[] all = d.images().toFloatArray();
        float[] sub = s.images().toFloatArray();
        assertArrayEquals(Arrays.copyOfRange(all, 128, 192), Arrays.copyOfRange(sub, 0, 64));
        assertArrayEquals(Arrays.copyOfRange(all, 0, 64), Arrays.copyOfRange(sub, 64, 128));
        assertArrayEquals(new int[] {d.label(2), d.label(0), d.label(2)}, s.labels().toIntArray());
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {1797}));
    }

    @Test
    void malformedRowsAreRefusedWithTheLine() {
        String bad = "1,2,3\n";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Digits.parse(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8)), "bad.csv"));
        assertTrue(e.getMessage().contains("bad.csv line 1"), e.getMessage());
        String row = "0,".repeat(64) + "12\n";
        e = assertThrows(IllegalStateException.class,
                () -> Digits.parse(new ByteArrayInputStream(row.getBytes(StandardCharsets.UTF_8)), "lab.csv"));
        assertTrue(e.getMessage().contains("outside 0..9"), e.getMessage());
    }

    @Test
    void splitIsAnEightyTwentyPartitionThatDependsOnTheKey() {
        Batches.Split s = Batches.split(Prng.key(0), 1797, 0.2);
        assertEquals(359, s.test().length);
        assertEquals(1438, s.train().length);
        Set<Integer> seen = new HashSet<>();
        for (int i : s.train()) {
            assertTrue(seen.add(i));
        }
        for (int i : s.test()) {
            assertTrue(seen.add(i));
        }
        assertEquals(1797, seen.size());
        assertTrue(seen.stream().allMatch(i -> i >= 0 && i < 1797));
        assertEquals(s, Batches.split(Prng.key(0), 1797, 0.2));
        assertFalse(Arrays.equals(s.test(), Batches.split(Prng.key(1), 1797, 0.2).test()));
        assertThrows(IllegalArgumentException.class, () -> Batches.split(Prng.key(0), 10, 1.5));
    }

    @Test
    void shuffleIsAPermutationThatDependsOnTheKey() {
        int[] a = Batches.shuffle(Prng.key(3), 100);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(a, Batches.shuffle(Prng.key(3), 100));
        assertArrayEquals(Prng.permutation(Prng.key(3), 100).toIntArray(), a);
        assertFalse(Arrays.equals(a, Batches.shuffle(Prng.key(4), 100)));
        int[] identity = new int[100];
        Arrays.setAll(identity, i -> i);
        assertFalse(Arrays.equals(a, identity));
    }

    @Test
    void epochCoversEveryIndexOnceInBatches() {
        int[] idx = {10, 11, 12, 13, 14, 15, 16};
        List<int[]> b = Batches.epoch(Prng.key(5), idx, 3, false);
        assertEquals(3, b.size());
        assertEquals(3, b.get(0).length);
        assertEquals(1, b.get(2).length);
        int[] all = b.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(idx, all);
        assertEquals(2, Batches.epoch(Prng.key(5), idx, 3, true).size());
        assertFalse(Arrays.equals(b.get(0), Batches.epoch(Prng.key(6), idx, 3, false).get(0))
                && Arrays.equals(b.get(1), Batches.epoch(Prng.key(6), idx, 3, false).get(1)));
        assertThrows(IllegalArgumentException.class, () -> Batches.epoch(Prng.key(5), idx, 0, false));
        assertEquals(List.of(), Batches.chunks(new int[0], 4, false));
    }
}
