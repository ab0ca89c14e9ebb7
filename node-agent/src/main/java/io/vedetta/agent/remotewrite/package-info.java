/**
 * remote_write: a write-ahead log on disk, and per endpoint a queue of shards that sends it by Prometheus
 * remote-write 1.0 (protobuf {@code WriteRequest}, snappy), with Prometheus' remote-storage self-metrics. May import
 * config, lifecycle, relabel, protobuf, secrets and the shared primitives; not the scrapes above it.
 *
 * <h2>Design</h2>
 *
 * <p><b>Files.</b> Under {@code remoteWrite.walDir}: {@code series}, one record per series (its reference and its
 * labels, encoded as remote-write's {@code Label}s, sorted); {@code segments/NNNNNNNN}, records of samples (per record
 * the scrape's samples as reference, timestamp delta and value, snappy-compressed when that is smaller); and
 * {@code acks-<endpoint>-<url hash>}, per endpoint, how far each of its shards was acknowledged. Every record of every
 * file is framed by its length and CRC-32C and appended with one write ({@link io.vedetta.agent.remotewrite.RecordFile}).
 *
 * <p><b>Appending.</b> A scrape's samples are one record, appended whole under the log's lock, after the records of
 * any series they introduce. A sample no newer than the last one of its series is left out and counted: a Prometheus
 * receiver refuses it, and the whole request with it. Segments are synced when they are closed (at
 * {@code walMaxBytes}/16, at most 32 MiB, or after a quarter of {@code walMaxAge}, at most 15 minutes) and every five
 * seconds.
 *
 * <p><b>SIGKILL and power loss.</b> What was written survives a SIGKILL (the kernel has it); a process killed in the
 * middle of a write leaves one torn record at the end of the last segment, or of the series file, which the next start
 * cuts off (counted in {@code vedetta_wal_corrupt_bytes_total}). A scrape not yet appended when the process died is
 * lost, like any scrape of the seconds the agent is down. A power loss may lose up to five seconds more. A damaged
 * record inside a segment (a disk that lies) makes its readers skip the rest of that segment, counted.
 *
 * <p><b>Sending.</b> Each endpoint's reader follows the log in order and hands each sample to the shard of its series
 * (a hash of its reference), so a series' samples are sent in order. A shard sends one request at a time and, when the
 * receiver takes it, appends "shard s of n is acknowledged up to position p" to the endpoint's acknowledgement log:
 * every sample of that shard's series before p has been sent. 5xx, 429 (after its {@code Retry-After}) and connection
 * failures are retried with backoff until they succeed; another 4xx is not retried: its samples are counted as failed
 * and the position moves past them. Resharding first lets every shard send what it holds, so all stand at one position,
 * then records "all n shards at p".
 *
 * <p><b>Restart.</b> The series file gives back every series; a new segment is started. Each endpoint resumes with the
 * shard count and positions of its acknowledgement log, reading from the oldest; a sample is sent again only if its
 * shard had not been acknowledged past it. So nothing the receiver acknowledged is sent twice (which a Prometheus
 * receiver would refuse as out of order, with the rest of its request), except the one request whose acknowledgement
 * the kill interrupted; nothing appended is lost. An endpoint new to the log (no acknowledgement log, or a new URL)
 * starts at its end, as Prometheus starts a new queue.
 *
 * <p><b>Bounds.</b> Segments every endpoint acknowledged are deleted. When the log is larger than
 * {@code walMaxBytes}, or a segment older than {@code walMaxAge}, the oldest segment is dropped even if an endpoint has
 * not sent it, and the samples each endpoint had not read are counted ({@code vedetta_wal_samples_dropped_total}); the
 * agent never stops for a full disk budget. In memory, each shard holds at most {@code capacity} samples and the reader
 * waits for room, so a slow or absent receiver costs disk, not heap. A series is forgotten once no segment holds a
 * sample of it and no scrape holds it; the series file is rewritten (temporary file, rename) when mostly forgotten
 * series fill it.
 */
package io.vedetta.agent.remotewrite;
