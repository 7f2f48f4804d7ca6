package dev.beckon.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small file system of its own, mounted for a test, so that a test can fill it or make it
 * read-only without touching the machine's disk. Mounting needs root; without it the test is
 * skipped (docs/testing.md says which tests these are).
 */
final class Tmpfs implements AutoCloseable {

    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code megabytes} at {@code mountPoint}, or skips the test without root. */
    static Tmpfs mount(Path mountPoint, int megabytes) throws IOException {
        Assumptions.assumeTrue(isRoot(), "mounting a tmpfs needs root");
        Files.createDirectories(mountPoint);
        Assumptions.assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "beckon-test", mountPoint.toString()),
                "mount -t tmpfs is not permitted here");
        return new Tmpfs(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    /** Makes the file system read-only, or writable again. */
    void readOnly(boolean readOnly) {
        assertThat(run("mount", "-o", "remount," + (readOnly ? "ro" : "rw"), mountPoint.toString()))
                .as("remount " + mountPoint)
                .isTrue();
    }

    /** Writes a file that takes every free byte; deleting it gives the space back. */
    Path fill() throws IOException {
        Path filler = mountPoint.resolve("filler");
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        return filler;
    }

    @Override
    public void close() {
        run("umount", "-l", mountPoint.toString());
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
