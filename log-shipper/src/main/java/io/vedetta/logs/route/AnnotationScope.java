package io.vedetta.logs.route;

/** What a pod's {@code vedetta.io/index} annotation may choose ({@code elasticsearch.index.annotation}). */
public enum AnnotationScope {
    /**
     * A suffix under the pod's own namespace: {@code <namespace>.<suffix>}, validated, a bounded number of them per
     * namespace. A pod owner can split their namespace's logs but never write into another namespace's target.
     */
    NAMESPACED,
    /** Any target name, as it is (made a valid name): for clusters that trust every pod owner. */
    ANY,
    /** The annotation is ignored. */
    OFF
}
