package dev.janus.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A JSON client for the serving tests (java.net.http). */
final class ServingTestClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A status code, the body and the body parsed (null when it is not JSON). */
    record Answer(int status, String body, JsonNode json, String contentType) {
        String error() {
            return json == null || !json.has("error") ? null : json.get("error").asText();
        }
    }

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final URI base;

    ServingTestClient(URI base) {
        this.base = base;
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    Answer post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            json = null;
        }
        return new Answer(r.statusCode(), r.body(), json, r.headers().firstValue("Content-Type").orElse(""));
    }

    /** The JSON for {@code {"instances": rows}}. */
    static String instances(float[][] rows) {
        try {
            return JSON.writeValueAsString(java.util.Map.of("instances", rows));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
