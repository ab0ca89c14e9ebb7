package io.vedetta.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The logs report compares like with like: lines/s with the physical limit's lines/s (`cat` plus the plain loader to
 * the discarding endpoint), records/s with the loader's records/s into Elasticsearch.
 */
class LogsReportTest {

    private static final long MIB = 1 << 20;

    @Test
    void discardRunsAreInLinesAndElasticsearchRunsInRecords() {
        LogsReport report = new LogsReport(List.of("-XX:+UseSerialGC"), Map.of());
        report.machine(new Machine(2, "test CPU", "0.00 0.00 0.00", "test kernel", "test JVM"));
        CriLogFile file = new CriLogFile(Path.of("bench.log"), 1_000_000, 29_443, 206_884_454L);
        report.file(file, 3_000_000, 1);
        report.catSeconds(0.023);
        report.loaderSeconds(2.777);
        report.discard(List.of(new LogsReport.Run(3.27, 3.48, (long) (159.7 * MIB), List.of(), 677_000_000)));
        report.ceiling(75.55, 136.9);
        report.elasticsearch(new LogsReport.Run(70.85, 5.0, (long) (166.2 * MIB), List.of(127.0), 677_000_000));

        String md = report.markdown("scripts/bench logs", "abc1234");

        assertTrue(md.contains("| run | seconds | lines/s | MB/s | CPU-s per GB | peak RSS | lines/s / limit |"), md);
        assertTrue(md.contains("| physical limit: `cat` + plain bulk loader | 2.800 | 357,143 | 74 | | | 1 |"), md);
        assertTrue(md.contains("| agent → discarding `_bulk` endpoint, run 1 | 3.27 | 305,810 | 63.3 | 16.8 | 159.7 MiB"
                + " | 0.856 |"), md);
        assertTrue(md.contains("peak RSS 159.7 MiB (≤ 100 MiB: **missed**); 0.86 of the physical limit's 357,143"
                + " lines/s"), md);
        assertTrue(md.contains("| run | seconds | records/s | MB/s | CPU-s per GB | peak RSS | records/s / ceiling |"),
                md);
        assertTrue(md.contains("| plain bulk loader → Elasticsearch: node ceiling | 75.55 | 12,847 |"), md);
        assertTrue(md.contains("| agent → Elasticsearch | 70.85 | 13,699 | 2.9 | 24.2 | 166.2 MiB | 1.066 |"), md);
        assertTrue(md.contains("The agent delivered 13,699 records/s, 1.07 of the 12,847 records/s"), md);
    }
}
