package io.vedetta.e2e.pod;

import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.SharedElasticsearch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The end-to-end tests of the agent's pod: one {@link AgentPodEnvironment} for all of them, started once. */
@ExtendWith(SharedElasticsearch.class)
abstract class AgentPodTest {

    static AgentPodEnvironment env;

    @BeforeAll
    static void environment(ElasticsearchProcess elasticsearch) {
        env = AgentPodEnvironment.get(elasticsearch);
    }
}
