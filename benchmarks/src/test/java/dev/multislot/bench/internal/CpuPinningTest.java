package dev.multislot.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the allowed CPUs are split between client and server, and the CPU-list format. */
class CpuPinningTest {

    private static final Optional<Path> TASKSET = Optional.of(Path.of("/usr/bin/taskset"));

    @TempDir
    Path dir;

    @Test
    void twoCpusGiveOneToTheClientAndOneToTheServer() {
        CpuPinning p = CpuPinning.plan(List.of(0, 1), TASKSET);
        assertThat(p.pinned()).isTrue();
        assertThat(p.clientCpus()).isEqualTo("0");
        assertThat(p.serverCpus()).isEqualTo("1");
        assertThat(p.reason()).isEmpty();
    }

    @Test
    void moreCpusAreSplitInDisjointHalves() {
        CpuPinning p = CpuPinning.plan(CpuPinning.parse("0-4,8,10-11"), TASKSET);
        assertThat(p.clientCpus()).isEqualTo("0-3");
        assertThat(p.serverCpus()).isEqualTo("4,8,10-11");
    }

    @Test
    void oneCpuOrNoTasksetLeavesBothUnpinnedAndSaysWhy() {
        CpuPinning one = CpuPinning.plan(List.of(3), TASKSET);
        assertThat(one.pinned()).isFalse();
        assertThat(one.clientCpus()).isEqualTo("3");
        assertThat(one.serverCpus()).isEqualTo("3");
        assertThat(one.reason()).contains("one CPU");
        CpuPinning noTool = CpuPinning.plan(List.of(0, 1), Optional.empty());
        assertThat(noTool.pinned()).isFalse();
        assertThat(noTool.reason()).contains("taskset");
    }

    @Test
    void cpuListsParseAndFormatAsTheKernelWritesThem() {
        assertThat(CpuPinning.parse("0-2,5, 7-8")).containsExactly(0, 1, 2, 5, 7, 8);
        assertThat(CpuPinning.format(List.of(0, 1, 2, 5, 7, 8))).isEqualTo("0-2,5,7-8");
        assertThat(CpuPinning.format(List.of(4))).isEqualTo("4");
        assertThatThrownBy(() -> CpuPinning.parse("3-1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3-1");
        assertThatThrownBy(() -> CpuPinning.parse("x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
    }

    @Test
    void allowedCpusAreReadFromProcStatus() throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t1\n");
        assertThat(CpuPinning.allowedCpus(status)).containsExactly(0, 1);
    }

    @Test
    void theServerPrefixIsTasksetOnlyWhenCpusAreGiven() {
        assertThat(CpuPinning.serverPrefix("1")).containsExactly("taskset", "-c", "1");
        assertThat(CpuPinning.serverPrefix("")).isEmpty();
        assertThat(CpuPinning.serverPrefix(null)).isEmpty();
    }
}
