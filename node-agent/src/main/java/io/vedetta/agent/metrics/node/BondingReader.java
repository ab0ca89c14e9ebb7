package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Bonded interfaces from {@code /sys/class/net}: per master in {@code bonding_masters}, its slaves and how many of
 * them have MII status {@code up}, as node_exporter's bonding collector counts them. Without the bonding driver
 * there is no {@code bonding_masters} and no series.
 */
final class BondingReader implements NodeReader {

    private final Path net;

    BondingReader(Path sysRoot) {
        this.net = sysRoot.resolve("class").resolve("net");
    }

    @Override
    public String name() {
        return "bonding";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        Path masters = net.resolve("bonding_masters");
        if (!Files.exists(masters)) {
            return;
        }
        for (String master : KernelFiles.fields(KernelFiles.read(masters))) {
            if (master.isEmpty()) {
                continue;
            }
            int slaves = 0;
            int up = 0;
            for (String slave : KernelFiles.fields(KernelFiles.read(net.resolve(master).resolve("bonding").resolve("slaves")))) {
                if (slave.isEmpty()) {
                    continue;
                }
                slaves++;
                if (miiStatus(master, slave).equals("up")) {
                    up++;
                }
            }
            out.add(NodeMetrics.BONDING_SLAVES, slaves, master);
            out.add(NodeMetrics.BONDING_ACTIVE, up, master);
        }
    }

    /** The slave's MII status, under {@code lower_<slave>} (current kernels) or {@code slave_<slave>} (older ones). */
    private String miiStatus(String master, String slave) throws IOException {
        try {
            return KernelFiles.read(net.resolve(master).resolve("lower_" + slave).resolve("bonding_slave")
                    .resolve("mii_status")).trim();
        } catch (NoSuchFileException e) {
            return KernelFiles.read(net.resolve(master).resolve("slave_" + slave).resolve("bonding_slave")
                    .resolve("mii_status")).trim();
        }
    }
}
