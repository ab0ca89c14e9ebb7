package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.MessagePack;
import org.msgpack.type.Value;

/** The packaged agent with {@code logs.sink.type: forward}: container lines arrive at a forward-protocol input. */
class ForwardShippingEndToEndTest {

    @Test
    void shipsContainerLinesToAForwardInputWithKubernetesTags(@TempDir Path dir) throws Exception {
        Path containers = Files.createDirectories(dir.resolve("containers"));
        Path log = containers.resolve("web-1_shop_nginx-" + "a".repeat(64) + ".log");
        Files.writeString(log, "");
        List<Value> received = new CopyOnWriteArrayList<>();
        try (ServerSocket input = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> receive(input, received), "forward-input");
            accept.setDaemon(true);
            accept.start();
            try (AgentProcess agent = AgentProcess.start(dir.resolve("agent"), """
                    kubernetes: {enabled: false}
                    logs:
                      enabled: true
                      paths: ["%s/*.log"]
                      stateDir: %s
                      sink: {type: forward}
                      forward: {host: 127.0.0.1, port: %d}
                    """.formatted(containers, dir.resolve("state"), input.getLocalPort()), Map.of())) {
                Files.writeString(log, "2026-11-25T00:00:01.000000001Z stdout F hello forward\n"
                        + "2026-11-25T00:00:02.000000002Z stderr F second line\n",
                        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                assertTrue(Http.await(Duration.ofSeconds(20), () -> received.size() == 2), "two messages: " + received);
                assertTrue(Http.await(Duration.ofSeconds(10), () -> Http.get(agent.url() + "/metrics").body()
                        .contains("vedetta_log_sink_forward_sent_total{target=\"127.0.0.1:" + input.getLocalPort()
                                + "\"} 2.0")), "the sent counter");
            }
        }
        List<Value> first = received.get(0).asArrayValue();
        assertEquals("kubernetes.shop.web-1.nginx", first.get(0).asRawValue().getString());
        assertEquals(1795564801L, first.get(1).asIntegerValue().getLong(), "seconds of the line's timestamp");
        String record = first.get(2).toString();
        assertTrue(record.contains("\"log\":\"hello forward\"") && record.contains("\"pod_name\":\"web-1\""), record);
    }

    private static void receive(ServerSocket input, List<Value> received) {
        try (Socket connection = input.accept(); InputStream in = connection.getInputStream()) {
            var unpacker = new MessagePack().createUnpacker(in);
            while (true) {
                received.add(unpacker.readValue());
            }
        } catch (EOFException e) {
            // The agent closed the connection.
        } catch (IOException e) {
            if (!input.isClosed()) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
