package io.vedetta.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RequestHeadTest {

    private static RequestHead parse(String text) throws RequestHead.Malformed {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int end = RequestHead.end(bytes, bytes.length, 0);
        assertTrue(end > 0, "no end of head in " + text);
        return RequestHead.parse(bytes, end);
    }

    @Test
    void readsAScrapersRequest() throws Exception {
        RequestHead head = parse("GET /metrics?name%5B%5D=up&debug= HTTP/1.1\r\nHost: 10.0.0.1:9102\r\n"
                + "Accept: text/plain;version=0.0.4\r\naccept-encoding: gzip\r\nX-Twice: a\r\nX-Twice: b\r\n\r\n");

        assertEquals("GET", head.method());
        assertEquals("/metrics", head.path());
        assertEquals("name%5B%5D=up&debug=", head.query());
        assertEquals(List.of("gzip"), head.header("Accept-Encoding"));
        assertEquals(List.of("a", "b"), head.header("x-twice"));
        assertTrue(head.keepAlive());
        assertFalse(head.hasBody());
    }

    @Test
    void findsTheEndOfAHeadWithBareLineFeedsAndKeepsWhatFollows() {
        byte[] bytes = "GET / HTTP/1.1\nHost: a\n\nGET /next".getBytes(StandardCharsets.ISO_8859_1);

        assertEquals("GET / HTTP/1.1\nHost: a\n\n".length(), RequestHead.end(bytes, bytes.length, 0));
        assertEquals(-1, RequestHead.end(bytes, 10, 0), "not there yet");
    }

    @Test
    void anAbsoluteTargetServesItsPath() throws Exception {
        assertEquals("/healthz", parse("GET http://agent:9102/healthz HTTP/1.1\r\n\r\n").path());
    }

    @Test
    void http10AndConnectionCloseEndTheConnection() throws Exception {
        assertFalse(parse("GET / HTTP/1.0\r\n\r\n").keepAlive());
        assertFalse(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keepAlive());
    }

    @Test
    void aBodyIsSeenInEitherFraming() throws Exception {
        assertTrue(parse("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n").hasBody());
        assertTrue(parse("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").hasBody());
        assertFalse(parse("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").hasBody());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            two spaces in the request line  | GET  / HTTP/1.1                                   | 400
            no version                      | GET /                                             | 400
            HTTP/2 preface                  | PRI * HTTP/2.0                                    | 505
            target that is not a path       | GET metrics HTTP/1.1                              | 400
            control character in the target| GET /a\u0001b HTTP/1.1                           | 400
            space before a header's colon   | GET / HTTP/1.1\\r\\nHost : a                      | 400
            folded header                   | GET / HTTP/1.1\\r\\nX-A: 1\\r\\n  continued       | 400
            two different lengths           | GET / HTTP/1.1\\r\\nContent-Length: 1\\r\\nContent-Length: 2 | 400
            a length that is not a number   | GET / HTTP/1.1\\r\\nContent-Length: -1            | 400
            """)
    void refusesWhatCouldBeReadTwoWays(String what, String head, int status) {
        String text = head.replace("\\r", "\r").replace("\\n", "\n") + "\r\n\r\n";

        RequestHead.Malformed e = assertThrows(RequestHead.Malformed.class, () -> parse(text), what);
        assertEquals(status, e.status, what + ": " + e.getMessage());
    }

    @Test
    void tooManyHeadersAreRefused() {
        String text = "GET / HTTP/1.1\r\n" + "X-A: 1\r\n".repeat(RequestHead.MAX_HEADERS + 1) + "\r\n";

        RequestHead.Malformed e = assertThrows(RequestHead.Malformed.class, () -> parse(text));
        assertEquals(431, e.status);
        assertEquals(Rejection.HEADER_TOO_LARGE, e.reason);
    }
}
