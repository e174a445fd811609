package dev.solstice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;

/** bin/bench's option handling and the wiring of JMH's generated benchmark list (no benchmark is run). */
class BenchMainTest {
    @Test
    void defaultsApplyWhereTheCommandLineIsSilent() throws Exception {
        Options o = BenchMain.withDefaults(new CommandLineOptions());
        assertEquals(BenchMain.FORKS, o.getForkCount().get());
        assertEquals(BenchMain.WARMUP_ITERATIONS, o.getWarmupIterations().get());
        assertEquals(TimeValue.fromString(BenchMain.WARMUP_TIME), o.getWarmupTime().get());
        assertEquals(BenchMain.MEASUREMENT_ITERATIONS, o.getMeasurementIterations().get());
        assertEquals(TimeValue.fromString(BenchMain.MEASUREMENT_TIME), o.getMeasurementTime().get());
        assertEquals(List.of(BenchMain.JVM_ARGS), List.copyOf(o.getJvmArgsAppend().get()));
        assertTrue(o.shouldFailOnError().get());
        assertTrue(o.getProfilers().isEmpty());
    }

    @Test
    void commandLineOptionsOverrideTheDefaultsAndWordsSelectBenchmarks() throws Exception {
        Options o = BenchMain.withDefaults(new CommandLineOptions("-f", "2", "-wi", "1", "-r", "1s", "-foe", "false",
                "-prof", "gc", "Dispatch"));
        assertEquals(2, o.getForkCount().get());
        assertEquals(1, o.getWarmupIterations().get());
        assertEquals(1000, o.getMeasurementTime().get().convertTo(TimeUnit.MILLISECONDS));
        assertEquals(BenchMain.MEASUREMENT_ITERATIONS, o.getMeasurementIterations().get());
        assertEquals(false, o.shouldFailOnError().get());
        assertEquals("gc", o.getProfilers().getFirst().getKlass());
        assertEquals(List.of("Dispatch"), o.getIncludes());
    }

    @Test
    void helpAndUsageErrorsExitWithoutRunning() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(0, BenchMain.run(new String[] {"--help"}, out));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("--alloc"));
        assertEquals(2, BenchMain.run(new String[] {"-f", "not-a-number"}, out));
    }

    @Test
    void theAnnotationProcessorListsEveryBenchmarkClass() throws IOException {
        String list;
        try (InputStream in = BenchMainTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertTrue(in != null, "META-INF/BenchmarkList is missing: JMH's annotation processor did not run");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String name : List.of("DispatchBench", "DerivativesBench", "BatchingBench", "LayersBench")) {
            assertTrue(list.contains("dev.solstice.bench." + name), name + " is not in META-INF/BenchmarkList");
        }
    }

    @Test
    void numbersAndAllocationsAreFormattedForReading() {
        assertEquals("12346", ResultTable.number(12345.6));
        assertEquals("123.5", ResultTable.number(123.45));
        assertEquals("1.235", ResultTable.number(1.2345));
        assertEquals("", ResultTable.allocation(java.util.Map.of()));
    }
}
