# syntax=docker/dockerfile:1
# The agent image: ghcr.io/vedetta/vedetta-agent, which helm/vedetta runs as a DaemonSet.
#   docker build -t ghcr.io/vedetta/vedetta-agent:0.1.0 .

# Build stage: the shaded agent jar from the Maven reactor (node-agent and the log-shipper it depends on).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Every module's pom, because the parent lists them all; sources only of the modules the jar is made of.
COPY pom.xml ./
COPY test-support/pom.xml test-support/
COPY log-shipper/pom.xml log-shipper/
COPY node-agent/pom.xml node-agent/
COPY alert-rules/pom.xml alert-rules/
COPY dashboards/pom.xml dashboards/
COPY es-node/pom.xml es-node/
COPY tests/pom.xml tests/
# test-support: the log shipper's tests use it, and the build compiles them even when it skips running them.
COPY test-support/src test-support/src
COPY log-shipper/src log-shipper/src
COPY node-agent/src node-agent/src
# Tests run in CI (scripts/test); the cache keeps downloaded dependencies between builds.
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -pl node-agent -am package -DskipTests

# Runtime stage: a JRE and the one jar.
FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.title="vedetta-agent" \
      org.opencontainers.image.description="Vedetta Kubernetes node agent: pod discovery, Prometheus metrics, container logs to Elasticsearch" \
      org.opencontainers.image.source="https://github.com/vedetta/vedetta"
# The image runs as an unprivileged user. Reading other containers' log files (root's, mode 0640) needs
# UID 0 with DAC_READ_SEARCH, because Kubernetes grants added capabilities to non-root processes only
# through ambient capabilities, which it does not set; so the Helm chart runs the container as UID 0
# with every other capability dropped when logs are enabled, and as this user when they are not.
RUN groupadd --system --gid 10001 vedetta \
 && useradd --system --uid 10001 --gid vedetta --no-create-home --shell /usr/sbin/nologin vedetta
COPY --from=build /src/node-agent/target/vedetta-agent.jar /opt/vedetta/vedetta-agent.jar
# The agent's class-data sharing archive: the JDK and library classes every configuration of the agent loads (the
# class list kept in the repository, scripts/class-list), parsed once here instead of at every start, which halves
# the CPU of the agent's start (its effect on peak RSS is within the noise: BENCHMARKS.md, "Class-data sharing"). JDK 17 accepts it only for this JDK and this jar at this path, size and time, so it is dumped here,
# after the jar is in place, and the ENTRYPOINT names it; a JVM that rejects it runs without any sharing, and the
# agent logs a warning saying why.
COPY node-agent/src/main/cds/vedetta-agent.classlist /opt/vedetta/vedetta-agent.classlist
RUN java -Xshare:dump -XX:SharedClassListFile=/opt/vedetta/vedetta-agent.classlist \
      -XX:SharedArchiveFile=/opt/vedetta/vedetta-agent.jsa -cp /opt/vedetta/vedetta-agent.jar
# The same JVM options as the Helm chart's javaOptions (helm/vedetta/values.yaml), which scripts/bench logs
# measures: the heap follows the container's memory limit, and the serial collector costs least on a small heap
# and one or two CPUs. The chart sets the variable itself; this default is for the image run on its own.
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:NewRatio=2 -XX:SurvivorRatio=4 -XX:+ExitOnOutOfMemoryError"
# glibc gives each thread that allocates its own malloc arena; two are enough for an agent, and the log benchmark
# measured 27 MiB less peak RSS with them at the same CPU (scripts/bench logs reads this line too).
ENV MALLOC_ARENA_MAX=2
# Blocks of 24 KiB and more (the JIT compiler's arenas, zlib's state) get their own mappings, returned to the
# system when freed; glibc otherwise raises this threshold as such blocks are freed and keeps them in its heap.
# The log benchmark measured 5-7 MiB less peak RSS with it at the same CPU (and reads this line too).
ENV MALLOC_MMAP_THRESHOLD_=24576
USER 10001:10001
EXPOSE 9102
# The archive is named here, not in JDK_JAVA_OPTIONS, so a chart's javaOptions that replace the defaults keep it.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/vedetta/vedetta-agent.jsa", "-jar", "/opt/vedetta/vedetta-agent.jar"]
CMD ["--config", "/etc/vedetta/vedetta.yaml"]
