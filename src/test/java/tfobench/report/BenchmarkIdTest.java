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
}
