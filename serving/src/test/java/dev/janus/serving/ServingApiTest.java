package dev.janus.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST API on a loopback port: answers, status, metadata, operational endpoints and every kind of bad request. */
class ServingApiTest {
    static final long MAX_BODY = 64 << 10;

    @TempDir
    static Path tmp;
    static ModelServer server;
    static ServingTestClient client;

    @BeforeAll
    static void start() throws IOException {
        Path base = Files.createDirectories(tmp.resolve("models"));
        ServingTestModels.deploy(base, "offset", 1, ServingTestModels.offsetModel(1));
        ServingTestModels.deploy(base, "pair", 1, ServingTestModels.twoInputModel());
        ServingTestModels.deploy(base, "fixed", 1, ServingTestModels.fixedBatchModel());
        server = ModelServer.start(ServingConfig.defaults(base).withHost("127.0.0.1").withPort(0)
                .withPollInterval(Duration.ofHours(1)).withMaxBodyBytes(MAX_BODY).withHttpThreads(8));
        client = new ServingTestClient(server.uri());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void predict_rowFormat_oneAnswerPerInstance() throws Exception {
        ServingTestClient.Answer a = client.post("/v1/models/offset:predict",
                "{\"instances\": [[1, 2, 3, 4], [0, 0, 0, 0.5]]}");
        assertEquals(200, a.status(), a.body());
        assertEquals("{\"predictions\":[[102.0,103.0,104.0,105.0],[101.0,101.0,101.0,101.5]]}", a.body());
        assertEquals("application/json", a.contentType());
    }

    @Test
    void predict_columnarWithVersion_outputsKeepTheBatchDim() throws Exception {
        ServingTestClient.Answer a = client.post("/v1/models/offset/versions/1:predict", "{\"inputs\": [[1, 2, 3, 4]]}");
        assertEquals(200, a.status(), a.body());
        assertEquals("{\"outputs\":[[102.0,103.0,104.0,105.0]]}", a.body());
    }

    @Test
    void predict_twoInputsTwoOutputs_namedBothWays() throws Exception {
        ServingTestClient.Answer rows = client.post("/v1/models/pair:predict",
                "{\"instances\": [{\"a\": [1, 2, 3], \"b\": [10, 20, 30]}]}");
        assertEquals("{\"predictions\":[{\"output0\":[11.0,22.0,33.0],\"output1\":[2.0,4.0,6.0]}]}", rows.body());
        ServingTestClient.Answer cols = client.post("/v1/models/pair:predict",
                "{\"inputs\": {\"b\": [[10, 20, 30]], \"a\": [[1, 2, 3]]}}");
        assertEquals("{\"outputs\":{\"output0\":[[11.0,22.0,33.0]],\"output1\":[[2.0,4.0,6.0]]}}", cols.body());
    }

    @Test
    void predict_fixedBatchModel_runsUnbatched() throws Exception {
        ServingTestClient.Answer a = client.post("/v1/models/fixed:predict", "{\"instances\": [[1, 2, 3], [4, 5, 6]]}");
        assertEquals("{\"predictions\":[[3.0,6.0,9.0],[12.0,15.0,18.0]]}", a.body());
        JsonNode meta = client.get("/v1/models/fixed/metadata").json();
        assertFalse(meta.at("/metadata/janus/batched").asBoolean());
        assertTrue(client.get("/v1/models/offset/metadata").json().at("/metadata/janus/batched").asBoolean());
    }

    @Test
    void status_likeTensorFlowServing() throws Exception {
        ServingTestClient.Answer a = client.get("/v1/models/offset");
        assertEquals(200, a.status());
        assertEquals("{\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\",\"status\":"
                + "{\"error_code\":\"OK\",\"error_message\":\"\"}}]}", a.body());
        assertEquals(200, client.get("/v1/models/offset/versions/1").status());
        assertEquals(404, client.get("/v1/models/offset/versions/9").status());
    }

    @Test
    void metadata_signatureAsSignatureDef() throws Exception {
        JsonNode m = client.get("/v1/models/pair/metadata").json();
        assertEquals("pair", m.at("/model_spec/name").asText());
        assertEquals("1", m.at("/model_spec/version").asText());
        JsonNode sig = m.at("/metadata/signature_def/signature_def/serving_default");
        assertEquals("DT_FLOAT", sig.at("/inputs/a/dtype").asText());
        assertEquals("DT_INT64", sig.at("/inputs/b/dtype").asText());
        assertEquals("-1", sig.at("/inputs/a/tensor_shape/dim/0/size").asText());
        assertEquals("3", sig.at("/inputs/a/tensor_shape/dim/1/size").asText());
        assertEquals("DT_FLOAT", sig.at("/outputs/output1/dtype").asText());
        assertEquals("(a:f32[?, 3], b:i64[?, 3]) -> (output0:f32[?, 3], output1:f32[?, 3])",
                m.at("/metadata/janus/signature").asText());
    }

    @Test
    void operationalEndpoints_liveReadyMetrics() throws Exception {
        assertEquals(200, client.get("/live").status());
        assertEquals(200, client.get("/ready").status());
        client.post("/v1/models/offset:predict", "{\"instances\": [[1, 2, 3, 4]]}");
        client.post("/v1/models/nope:predict", "{\"instances\": [[1, 2, 3, 4]]}");
        ServingTestClient.Answer m = client.get("/metrics");
        assertEquals(200, m.status());
        assertTrue(m.contentType().startsWith("text/plain; version=0.0.4"), m.contentType());
        String text = m.body();
        assertTrue(text.contains("janus_requests_total{model=\"offset\",api=\"predict\",code=\"200\"}"), text);
        assertTrue(text.contains("janus_request_errors_total{model=\"\",code=\"404\"}"), text);
        assertTrue(text.contains("janus_predict_latency_seconds_bucket{model=\"offset\",le=\"+Inf\"}"), text);
        assertTrue(text.contains("janus_batch_size_count{model=\"offset\"}"), text);
        assertTrue(text.contains("janus_model_version_state{model=\"offset\",version=\"1\",state=\"AVAILABLE\"} 1"),
                text);
        assertTrue(text.contains("janus_requests_in_flight 1"), text);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            POST | /v1/models/offset:predict             | {"instances": [[1, 2, 3, 4]       | 400 | malformed JSON
            POST | /v1/models/offset:predict             | {"instances": [[1, 2, 3]]}        | 400 | must be x:f32[?, 4]
            POST | /v1/models/offset:predict             | {"inputs": [1, 2, 3, 4]}          | 400 | must be x:f32[?, 4]
            POST | /v1/models/offset:predict             | {"instances": [[1, 2, 3, "x"]]}   | 400 | strings are not supported
            POST | /v1/models/offset:predict             | {"instances": [[true, true, false, true]]} | 400 | takes numbers
            POST | /v1/models/pair:predict               | {"instances": [{"a": [1, 2, 3], "b": [1, 2, 3.5]}]} | 400 | takes integers
            POST | /v1/models/fixed:predict              | {"instances": [[1, 2, 3]]}        | 400 | must be x:f32[2, 3]
            POST | /v1/models/missing:predict            | {"instances": [[1, 2, 3, 4]]}     | 404 | model 'missing' is not served
            POST | /v1/models/offset/versions/7:predict  | {"instances": [[1, 2, 3, 4]]}     | 404 | has no version 7
            GET  | /v1/models/missing                    |                                   | 404 | model 'missing' is not served
            GET  | /v1/models/offset:predict             |                                   | 405 | use POST
            POST | /v1/models/offset                     | {}                                | 405 | use GET
            GET  | /v2/anything                          |                                   | 404 | no such endpoint
            """)
    void badRequest_clear4xxWithMessage(String method, String path, String body, int status, String message)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        HttpRequest r = method.equals("GET") ? b.GET().build()
                : b.POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body)).build();
        ServingTestClient.Answer a = client.send(r);
        assertEquals(status, a.status(), a.body());
        assertErrorBody(a, message);
    }

    @Test
    void oversizedBody_413() throws Exception {
        StringBuilder big = new StringBuilder("{\"instances\": [");
        while (big.length() < 2 * MAX_BODY) {
            big.append("[1.0, 2.0, 3.0, 4.0],");
        }
        big.append("[1, 2, 3, 4]]}");
        ServingTestClient.Answer a = client.post("/v1/models/offset:predict", big.toString());
        assertEquals(413, a.status(), a.body());
        assertErrorBody(a, "larger than the limit of " + MAX_BODY + " bytes");
        // the server still answers afterwards
        assertEquals(200, client.post("/v1/models/offset:predict", "{\"instances\": [[1, 2, 3, 4]]}").status());
    }

    @Test
    void oversizedChunkedBody_413() throws Exception {
        byte[] big = ("{\"instances\": [" + "[1.0, 2.0, 3.0, 4.0],".repeat(8000) + "[1, 2, 3, 4]]}")
                .getBytes(StandardCharsets.UTF_8);
        // a body of unknown length is sent chunked, without Content-Length: the limit applies while reading
        HttpRequest r = HttpRequest.newBuilder(server.uri().resolve("/v1/models/offset:predict"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        ServingTestClient.Answer a = client.send(r);
        assertEquals(413, a.status(), a.body());
    }

    static void assertErrorBody(ServingTestClient.Answer a, String message) {
        assertEquals("application/json", a.contentType());
        assertNotNull(a.error(), a.body());
        assertEquals(1, a.json().size(), "only \"error\": " + a.body());
        assertTrue(a.error().contains(message), a.error());
        assertFalse(a.body().contains("Exception") || a.body().contains("\\tat ") || a.body().contains(".java:"),
                "no stack trace: " + a.body());
    }
}
