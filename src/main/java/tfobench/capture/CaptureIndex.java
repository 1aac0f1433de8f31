package tfobench.capture;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import tfobench.AddressFamily;
import tfobench.HostPort;
import tfobench.JsonFile;
import tfobench.client.SynData;
import tfobench.protocol.Request;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code capture.json}, written beside the capture file: what was captured with which tool, what it cost, and
 * every request made during it (scenario, transport, RTT, server, connection, start time, {@code TCP_INFO}'s
 * verdict), so the report can match packets to requests without trusting anything but the capture and this
 * record.
 *
 * @param facts     tool, interface, filter, packet counts, bytes and milliseconds the capture step took
 * @param exchanges the requests, in the order they were made
 * @param tcpExt    per block ({@code scenario transport rtt}): the namespace's fast open counter deltas over it
 */
public record CaptureIndex(Map<String, Object> facts, List<CapturedExchange> exchanges,
                           Map<String, Map<String, Long>> tcpExt) {
    public static final String FILE = "capture.json";
    /** Written instead when the capture step could not run: its one line, naming the fix. */
    public static final String SKIPPED_FILE = "capture-skipped.txt";

    public void write(Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>(facts);
        List<Map<String, Object>> list = new ArrayList<>();
        for (CapturedExchange e : exchanges) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", e.scenario());
            m.put("transport", e.transport());
            m.put("rttMillis", e.rttMillis());
            m.put("server", HostPort.format(e.server()));
            m.put("connection", e.connection());
            m.put("startedEpochNanos", e.startedEpochNanos());
            m.put("tcpInfo", e.tcpInfo().name());
            m.put("tcpInfoSays", e.tcpInfo().description());
            m.put("requestBytes", e.requestBytes());
            list.add(m);
        }
        doc.put("exchanges", list);
        doc.put("tcpExtPerBlock", tcpExt);
        JsonFile.write(file, doc);
    }

    /** @throws IOException unreadable, or not a capture index (one line naming the file and what is wrong) */
    public static CaptureIndex read(Path file) throws IOException {
        try {
            JsonObject doc = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            Map<String, Object> facts = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : doc.entrySet()) {
                if (e.getValue().isJsonPrimitive()) {
                    facts.put(e.getKey(), e.getValue().getAsJsonPrimitive().isNumber()
                            ? (Object) e.getValue().getAsNumber() : e.getValue().getAsString());
                }
            }
            List<CapturedExchange> exchanges = new ArrayList<>();
            for (JsonElement el : doc.getAsJsonArray("exchanges")) {
                JsonObject o = el.getAsJsonObject();
                exchanges.add(new CapturedExchange(o.get("scenario").getAsString(), o.get("transport").getAsString(),
                        o.get("rttMillis").getAsInt(), HostPort.parse(o.get("server").getAsString()),
                        o.get("connection").getAsInt(), o.get("startedEpochNanos").getAsLong(),
                        SynData.valueOf(o.get("tcpInfo").getAsString()), o.get("requestBytes").getAsInt()));
            }
            Map<String, Map<String, Long>> tcpExt = new LinkedHashMap<>();
            JsonObject blocks = doc.has("tcpExtPerBlock") ? doc.getAsJsonObject("tcpExtPerBlock") : new JsonObject();
            for (Map.Entry<String, JsonElement> b : blocks.entrySet()) {
                Map<String, Long> counters = new LinkedHashMap<>();
                b.getValue().getAsJsonObject().entrySet().forEach(c -> counters.put(c.getKey(),
                        c.getValue().getAsLong()));
                tcpExt.put(b.getKey(), counters);
            }
            return new CaptureIndex(facts, exchanges, tcpExt);
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | NullPointerException
                 | ClassCastException | IndexOutOfBoundsException e) {
            throw new IOException(file + ": not a capture index (" + e.getMessage() + ")");
        }
    }

    /**
     * The block key of an exchange: {@code cold native rtt 0}, then the family and the request's size when they
     * are not IPv4 and the seed's 79 bytes ({@code tfo netty rtt 0 ipv6 2000 bytes}).
     */
    public static String block(CapturedExchange e) {
        return blockKey(e.scenario(), e.transport(), e.rttMillis(), AddressFamily.of(e.server().getAddress()),
                e.requestBytes());
    }

    static String blockKey(String scenario, String transport, int rttMillis, AddressFamily family, int requestBytes) {
        return scenario + " " + transport + " rtt " + rttMillis
                + (family == AddressFamily.IPV4 ? "" : " " + family.label())
                + (requestBytes == Request.SEED_BYTES ? "" : " " + requestBytes + " bytes");
    }
}
