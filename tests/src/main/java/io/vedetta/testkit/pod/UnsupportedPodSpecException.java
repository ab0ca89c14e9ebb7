package io.vedetta.testkit.pod;

/** The pod asks for something the runner cannot do as the kubelet would: refused rather than silently ignored. */
public final class UnsupportedPodSpecException extends IllegalArgumentException {

    UnsupportedPodSpecException(String message) {
        super(message);
    }
}
