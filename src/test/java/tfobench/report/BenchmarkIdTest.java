package tfobench.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BenchmarkIdTest {

    @Test
    void fileStemIsTheLatencyFileNameTheLauncherWrites() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("allowFallback", "false");
        params.put("handshake", "tfo-connect");
        params.put("placement", "same-cpu");
        params.put("transport", "native");
        BenchmarkId id = new BenchmarkId("tfobench.bench.FirstRequestBenchmark.firstRequest", params);

        assertEquals("FirstRequestBenchmark.firstRequest-allowFallback=false-handshake=tfo-connect-placement=same-cpu"
                + "-transport=native", id.fileStem());
        assertEquals("FirstRequestBenchmark.firstRequest", id.shortName());
        assertEquals("allowFallback=false handshake=tfo-connect placement=same-cpu transport=native", id.paramsLabel());
    }

    @Test
    void unsafeCharactersInParametersBecomeUnderscores() {
        BenchmarkId id = new BenchmarkId("a.B.c", Map.of("path", "x/y z"));

        assertEquals("B.c-path=x_y_z", id.fileStem());
    }

    @Test
    void parametersAddedLaterMatchRunsMadeBeforeThemAtTheirDefaults() {
        BenchmarkId before = new BenchmarkId("tfobench.bench.FirstRequestBenchmark.firstRequest",
                java.util.Map.of("handshake", "tfo", "rtt", "10"));
        BenchmarkId after = new BenchmarkId("tfobench.bench.FirstRequestBenchmark.firstRequest",
                java.util.Map.of("handshake", "tfo", "rtt", "10", "host", "loopback"));
        org.junit.jupiter.api.Assertions.assertEquals(before.comparable(), after.comparable());
        BenchmarkId remote = new BenchmarkId("tfobench.bench.FirstRequestBenchmark.firstRequest",
                java.util.Map.of("handshake", "tfo", "rtt", "10", "host", "10.0.0.5:8080"));
        org.junit.jupiter.api.Assertions.assertNotEquals(before.comparable(), remote.comparable());
        BenchmarkId noRtt = new BenchmarkId("tfobench.bench.KeepAliveBenchmark.keepAliveRequest",
                java.util.Map.of("transport", "native"));
        BenchmarkId rttZero = new BenchmarkId("tfobench.bench.KeepAliveBenchmark.keepAliveRequest",
                java.util.Map.of("transport", "native", "rtt", "0"));
        org.junit.jupiter.api.Assertions.assertEquals(noRtt.comparable(), rttZero.comparable());
    }
}
