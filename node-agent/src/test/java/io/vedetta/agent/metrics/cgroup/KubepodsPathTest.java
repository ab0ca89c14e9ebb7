package io.vedetta.agent.metrics.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class KubepodsPathTest {

    private static final String UID = "8f2c1d3e-4b5a-4c6d-9e7f-0a1b2c3d4e5f";
    private static final String UID_ = UID.replace('-', '_');
    private static final String ID = "3f1e9a7c2b4d6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071";

    private static Optional<KubepodsPath> container() {
        return Optional.of(new KubepodsPath(UID, Optional.of(ID)));
    }

    @Test
    void cgroupfsDriverContainerAndPod() {
        assertEquals(container(), KubepodsPath.parse("/kubepods/burstable/pod" + UID + "/" + ID));
        assertEquals(Optional.of(new KubepodsPath(UID, Optional.empty())),
                KubepodsPath.parse("/kubepods/besteffort/pod" + UID));
    }

    @Test
    void cgroupfsDriverGuaranteedPodsSitDirectlyUnderKubepods() {
        assertEquals(container(), KubepodsPath.parse("/kubepods/pod" + UID + "/" + ID));
    }

    @Test
    void systemdDriverWithEachRuntimesScope() {
        String pod = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID_ + ".slice/";
        assertEquals(container(), KubepodsPath.parse(pod + "cri-containerd-" + ID + ".scope"));
        assertEquals(container(), KubepodsPath.parse(pod + "docker-" + ID + ".scope"));
        assertEquals(container(), KubepodsPath.parse(pod + "crio-" + ID + ".scope"));
        assertEquals(container(), KubepodsPath.parse("/kubepods.slice/kubepods-pod" + UID_ + ".slice/cri-containerd-" + ID + ".scope"));
    }

    @Test
    void qosClassesRuntimeHelpersAndNestedCgroupsAreNotPodsOrContainers() {
        assertEquals(Optional.empty(), KubepodsPath.parse("/kubepods.slice/kubepods-burstable.slice"));
        assertEquals(Optional.empty(), KubepodsPath.parse("/kubepods/besteffort"));
        String pod = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID_ + ".slice/";
        assertEquals(Optional.empty(), KubepodsPath.parse(pod + "crio-conmon-" + ID + ".scope"));
        assertEquals(Optional.empty(), KubepodsPath.parse("/kubepods/burstable/pod" + UID + "/" + ID + "/init.scope"));
    }
}
