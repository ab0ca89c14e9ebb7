package io.vedetta.bench;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The node's indexing ceiling: the benchmark's records, as documents shaped like the agent's (timestamp, stream,
 * message, parsed JSON), prepared before the clock starts and sent as {@code _bulk} requests of the agent's default
 * size with as many in flight as the agent's default allows; items answered 429 are sent again after a short pause.
 * Like the agent's, every document is a {@code create} with its own {@code _id}: Elasticsearch indexes documents
 * with ids it did not generate more slowly (it must look each id up), so a loader without ids would measure a
 * ceiling no shipper that avoids duplicates can reach.
 */
final class PlainBulkLoader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DOCUMENTS_PER_REQUEST = 2000;
    private static final int IN_FLIGHT = 4;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String bulkUrl;
    private final String index;

    PlainBulkLoader(String esUrl, String index) {
        this.bulkUrl = esUrl + "/_bulk";
        this.index = index;
    }

    /** Indexes every record of {@code file}; returns the seconds from the first request to the last answer. */
    double load(CriLogFile file) throws Exception {
        return sendAll(batches(documents(file)));
    }

    /**
     * The fastest of {@code times} sends of every record of {@code file}, prepared once: against an endpoint that
     * discards them, the least any shipper of these documents can spend on them (besides reading the file).
     */
    double fastest(CriLogFile file, int times) throws Exception {
        List<List<Document>> batches = batches(documents(file));
        double best = Double.MAX_VALUE;
        for (int i = 0; i < times; i++) {
            best = Math.min(best, sendAll(batches));
        }
        return best;
    }

    private double sendAll(List<List<Document>> batches) throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (List<Document> batch : batches) {
                sent.add(pool.submit(() -> {
                    send(batch);
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private void send(List<Document> documents) throws IOException, InterruptedException {
        List<Document> pending = documents;
        long pause = 50;
        while (!pending.isEmpty()) {
            StringBuilder body = new StringBuilder(pending.size() * 400);
            for (Document doc : pending) {
                body.append("{\"create\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(doc.id())
                        .append("\"}}\n").append(doc.source()).append('\n');
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(bulkUrl)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            List<Document> again = new ArrayList<>();
            if (response.statusCode() == 429) {
                again = pending;
            } else if (response.statusCode() != 200) {
                throw new IOException("bulk answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            } else {
                JsonNode answer = JSON.readTree(response.body());
                if (answer.path("errors").asBoolean()) {
                    JsonNode items = answer.path("items");
                    for (int i = 0; i < items.size(); i++) {
                        int status = items.get(i).elements().next().path("status").asInt();
                        if (status == 429) {
                            again.add(pending.get(i));
                        } else if (status >= 300 && status != 409) {
                            throw new IOException("item refused: " + items.get(i));
                        }
                    }
                }
            }
            if (!again.isEmpty()) {
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 2000);
            }
            pending = again;
        }
    }

    private static List<Document> documents(CriLogFile file) {
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        List<Document> documents = new ArrayList<>((int) file.records());
        try (BufferedReader in = Files.newBufferedReader(file.path(), StandardCharsets.UTF_8)) {
            StringBuilder partial = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int s1 = line.indexOf(' ');
                int s2 = line.indexOf(' ', s1 + 1);
                String message = line.substring(s2 + 3);
                if (line.charAt(s2 + 1) == 'P') {
                    partial.append(message);
                    continue;
                }
                message = partial.append(message).toString();
                partial.setLength(0);
                StringBuilder doc = new StringBuilder(message.length() * 2 + 200);
                doc.append("{\"@timestamp\":\"").append(line, 0, s1).append("\",\"stream\":\"")
                        .append(line, s1 + 1, s2).append("\",\"log\":\"").append(encoder.quoteAsString(message))
                        .append('"');
                if (message.startsWith("{")) {
                    doc.append(",\"json\":").append(message);
                }
                doc.append(",\"kubernetes\":{\"namespace_name\":\"bench\",\"pod_name\":\"app-1\",")
                        .append("\"container_name\":\"app\"}}");
                documents.add(new Document("bench-" + Integer.toHexString(documents.size()), doc.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    private record Document(String id, String source) {
    }

    private static List<List<Document>> batches(List<Document> documents) {
        List<List<Document>> batches = new ArrayList<>();
        for (int i = 0; i < documents.size(); i += DOCUMENTS_PER_REQUEST) {
            batches.add(documents.subList(i, Math.min(documents.size(), i + DOCUMENTS_PER_REQUEST)));
        }
        return batches;
    }
}
