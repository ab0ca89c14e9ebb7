package io.vedetta.logs.sink.elasticsearch;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSession;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.util.PublicSuffixMatcherLoader;

/**
 * The HTTP client's own host name check ({@link DefaultHostnameVerifier} with the public-suffix list, so a wildcard
 * certificate for a public suffix such as {@code *.co.uk} matches nothing), built at the first TLS handshake rather
 * than with the client: the list takes 1 MiB of heap, which an agent sending over plain HTTP never needs.
 */
final class PublicSuffixHostnameVerifier implements HostnameVerifier {

    private volatile HostnameVerifier verifier;

    @Override
    public boolean verify(String host, SSLSession session) {
        HostnameVerifier v = verifier;
        if (v == null) {
            v = new DefaultHostnameVerifier(PublicSuffixMatcherLoader.getDefault());
            verifier = v;
        }
        return v.verify(host, session);
    }
}
