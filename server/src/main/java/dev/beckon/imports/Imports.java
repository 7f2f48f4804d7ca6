package dev.beckon.imports;

import dev.beckon.event.Event;
import dev.beckon.event.ReservedEvent;
import dev.beckon.exports.ExportFormat;
import dev.beckon.exports.ExportWriter;
import dev.beckon.http.HttpError;
import dev.beckon.ingest.IngestWriter;
import dev.beckon.ingest.Text;
import dev.beckon.site.Site;
import dev.beckon.store.Cohorts;
import dev.beckon.store.StoreException;
import dev.beckon.store.duckdb.DuckDbCohorts;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports CSV files of custom user ids into a cohort, as user properties, or both
 * (docs/imports-exports.md). An upload is copied to a file in the data folder while its SHA-256 is
 * computed; one import thread then reads the files in turn, writing {@value #BATCH_ROWS} rows at a
 * time, and lists each bad row with its line and reason in the import's report.
 *
 * <p>Re-importing changes nothing: cohort entries are keyed by (site, cohort, user id), and each
 * row's user properties are one {@code $user_properties} event whose id comes from the site, the
 * file's digest and the row's line, with the event time of the first import of that digest. The
 * events go through the {@link IngestWriter}, so they are committed like ingested ones and keep
 * the identity links; each user's properties are on a device of their own, {@code $import:...}.
 *
 * <p>Failure semantics: rows are kept a batch at a time. When the store fails, or the server
 * stops, the import is marked failed with the batches before it kept; importing the file again
 * adds exactly what is missing. Progress lives in memory while an import runs and is recorded in
 * the {@code imports} table when it ends; a server that stops during an import marks it failed at
 * the next start.
 */
public final class Imports implements AutoCloseable {

    static final int BATCH_ROWS = 5_000;
    /** The version stamped on imported events. */
    public static final String EVENT_VERSION = "import";

    private static final Logger log = LoggerFactory.getLogger(Imports.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final String INTERRUPTED =
            "the server stopped during the import; import the file again (rows already imported do not change)";

    private final ImportRepository repository;
    private final Cohorts cohorts;
    private final IngestWriter events;
    private final ImportLimits limits;
    private final Path folder;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, ImportJob> active = new ConcurrentHashMap<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("beckon-import").factory());

    Imports(
            ImportRepository repository,
            Cohorts cohorts,
            IngestWriter events,
            ImportLimits limits,
            Path folder,
            Clock clock,
            SecureRandom random) {
        this.repository = repository;
        this.cohorts = cohorts;
        this.events = events;
        this.limits = limits;
        this.folder = folder;
        this.clock = clock;
        this.random = random;
        int unfinished = repository.failUnfinished(clock.instant(), INTERRUPTED);
        if (unfinished > 0) {
            log.warn("{} imports were cut off by the last stop; import their files again", unfinished);
        }
    }

    /** The imports of the embedded store, with their files in {@code dataDir/imports}. */
    public static Imports embedded(
            dev.beckon.store.duckdb.DuckDbDatabase database,
            IngestWriter events,
            Path dataDir,
            Clock clock,
            SecureRandom random) {
        return new Imports(
                new ImportRepository(database),
                new Cohorts(database),
                events,
                ImportLimits.DEFAULT,
                dataDir.resolve("imports"),
                clock,
                random);
    }

    public ImportLimits limits() {
        return limits;
    }

    /**
     * Copies an upload and queues its import.
     *
     * @param cohort the cohort the ids go into, or null for user properties only
     * @throws HttpError 400 for a bad cohort name, 413 for a file over the size limit
     */
    public ImportJob submit(Site site, String cohort, InputStream upload) {
        checkCohort(cohort);
        String id = newId();
        Path file = folder.resolve(id + ".csv");
        String sha256 = spool(upload, file);
        long bytes = size(file);
        var job = new ImportJob(site.id(), id, sha256, bytes, cohort, clock.instant());
        repository.save(job);
        active.put(id, job);
        thread.execute(() -> run(job, file));
        log.debug("Queued import {} of site {}: {} bytes", id, site.id(), bytes);
        return job;
    }

    /** The import, with its live progress while it runs. */
    public Optional<ImportJob> find(Site site, String id) {
        ImportJob live = active.get(id);
        if (live != null && live.siteId().equals(site.id())) {
            return Optional.of(live);
        }
        return repository.find(site.id(), id);
    }

    /** @throws HttpError 404 when the site has no such import */
    public ImportJob require(Site site, String id) {
        return find(site, id)
                .orElseThrow(() -> HttpError.notFound("site '" + site.id() + "' has no import '" + id + "'"));
    }

    /** The site's most recent imports, newest first, running ones with their live progress. */
    public List<ImportJob> recent(Site site, int limit) {
        return repository.recent(site.id(), limit).stream()
                .map(job -> active.getOrDefault(job.id(), job))
                .toList();
    }

    /** The report of an import's bad rows, as CSV {@code line,reason}; empty before the import runs. */
    public Optional<Path> report(ImportJob job) {
        Path report = reportFile(job.id());
        return Files.exists(report) ? Optional.of(report) : Optional.empty();
    }

    // Accepting an upload

    private static void checkCohort(String cohort) {
        if (cohort == null) {
            return;
        }
        if (cohort.isEmpty() || cohort.length() > ImportLimits.MAX_COHORT_NAME_LENGTH) {
            throw HttpError.badRequest("cohort: must be 1 to " + ImportLimits.MAX_COHORT_NAME_LENGTH + " characters");
        }
        if (!Text.isClean(cohort)) {
            throw HttpError.badRequest("cohort: must not contain control characters or unpaired surrogates");
        }
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** Copies the upload to {@code file}, and answers its SHA-256. */
    private String spool(InputStream upload, Path file) {
        MessageDigest digest = sha256();
        try {
            Files.createDirectories(folder);
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = upload.read(buffer)) >= 0; ) {
                    total += n;
                    if (total > limits.maxFileBytes()) {
                        throw new HttpError(
                                413, "the file is larger than " + limits.maxFileBytes() + " bytes; split it");
                    }
                    out.write(buffer, 0, n);
                }
            }
            return HEX.formatHex(digest.digest());
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("receiving the import file failed", io);
            }
            throw (RuntimeException) e;
        }
    }

    // Running an import

    private void run(ImportJob job, Path file) {
        job.running();
        var sink = new Sink(job, repository.firstImportOf(job.siteId(), job.fileSha256()));
        try (InputStream in = new Counting(Files.newInputStream(file), job);
                OutputStream reportOut = Files.newOutputStream(reportFile(job.id()))) {
            ExportWriter report = ExportWriter.of(ExportFormat.CSV, reportOut, List.of("line", "reason"));
            sink.report = report;
            try {
                new ImportFileReader(limits).read(in, sink);
                sink.flush();
                job.finished(clock.instant());
            } catch (ImportFileException e) {
                sink.flush();
                report.row(e.line(), e.getMessage());
                job.failed(clock.instant(), "line " + e.line() + ": " + e.getMessage());
            } finally {
                report.finish();
            }
        } catch (StoreException e) {
            log.error("Import {} of site {} stopped: the store failed", job.id(), job.siteId(), e);
            job.failed(clock.instant(), "the store failed; import the file again to add the rest");
        } catch (IngestWriter.Behind e) {
            log.warn("Import {} of site {} stopped: {}", job.id(), job.siteId(), e.getMessage());
            job.failed(clock.instant(), "the server was too busy to write; import the file again to add the rest");
        } catch (ImportInterruptedException e) {
            job.failed(clock.instant(), INTERRUPTED);
        } catch (IOException | RuntimeException e) {
            log.error("Import {} of site {} failed", job.id(), job.siteId(), e);
            job.failed(clock.instant(), "the import failed unexpectedly; the server log has the details");
        } finally {
            deleteQuietly(file);
            saveQuietly(job);
            active.remove(job.id());
        }
        log.info(
                "Import {} of site {} {}: {} rows read, {} kept, {} rejected, {} cohort members and {} user"
                        + " property events added",
                job.id(),
                job.siteId(),
                job.status().label(),
                job.rowsRead(),
                job.rowsKept(),
                job.rowsRejected(),
                job.membersAdded(),
                job.propertiesAdded());
    }

    /** Takes the rows of one file and writes them a batch at a time. */
    private final class Sink implements ImportFileReader.Rows {

        private final ImportJob job;
        private final Instant eventTime;
        private final List<ImportRow> batch = new ArrayList<>(BATCH_ROWS);
        private ExportWriter report;
        private boolean hasProperties;

        Sink(ImportJob job, Instant eventTime) {
            this.job = job;
            this.eventTime = eventTime;
        }

        @Override
        public void header(ImportHeader header) {
            hasProperties = !header.properties().isEmpty();
            if (!hasProperties && job.cohort() == null) {
                throw new ImportFileException(
                        1, "the file has only a userId column; give a cohort to import it into, or property columns");
            }
        }

        @Override
        public void kept(ImportRow row) {
            job.rowsRead.incrementAndGet();
            job.rowsKept.incrementAndGet();
            batch.add(row);
            if (batch.size() == BATCH_ROWS) {
                flush();
            }
        }

        @Override
        public void rejected(long line, String reason) {
            job.rowsRead.incrementAndGet();
            job.rowsRejected.incrementAndGet();
            report.row(line, reason);
        }

        void flush() {
            if (Thread.currentThread().isInterrupted()) {
                throw new ImportInterruptedException();
            }
            if (batch.isEmpty()) {
                return;
            }
            if (job.cohort() != null) {
                List<String> ids = batch.stream().map(ImportRow::userId).toList();
                job.membersAdded.addAndGet(cohorts.add(job.siteId(), job.cohort(), ids));
            }
            if (hasProperties) {
                List<Event> changes = batch.stream()
                        .filter(row -> !row.properties().isEmpty())
                        .map(row -> event(job, row, eventTime))
                        .toList();
                job.propertiesAdded.addAndGet(events.write(changes).size());
            }
            batch.clear();
        }
    }

    /**
     * The row's user properties as a {@code $user_properties} event whose id, device, session and
     * time are the same at every import of the same file.
     */
    static Event event(ImportJob job, ImportRow row, Instant time) {
        String eventId = "imp-" + hash(job.siteId() + "\n" + job.fileSha256() + "\n" + row.line());
        String deviceId = DuckDbCohorts.IMPORT_DEVICE_PREFIX + hash(row.userId());
        String sessionId = DuckDbCohorts.IMPORT_DEVICE_PREFIX + job.fileSha256().substring(0, 32);
        return new Event(
                job.siteId(),
                eventId,
                ReservedEvent.USER_PROPERTIES,
                deviceId,
                row.userId(),
                sessionId,
                row.properties(),
                EVENT_VERSION,
                time,
                time,
                time);
    }

    private static String hash(String text) {
        return HEX.formatHex(sha256().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .substring(0, 32);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Counts the bytes of the file that the reader took, for the progress. */
    private static final class Counting extends FilterInputStream {

        private final ImportJob job;

        Counting(InputStream in, ImportJob job) {
            super(in);
            this.job = job;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                job.bytesRead.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                job.bytesRead.addAndGet(n);
            }
            return n;
        }
    }

    /** The import thread was interrupted by {@link #close()}. */
    private static final class ImportInterruptedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ImportInterruptedException() {
            super(INTERRUPTED, null, false, false);
        }
    }

    private Path reportFile(String id) {
        return folder.resolve(id + "-report.csv");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void saveQuietly(ImportJob job) {
        try {
            repository.save(job);
        } catch (StoreException e) {
            log.error("The record of import {} of site {} was not saved; its rows are kept", job.id(), job.siteId(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}; delete it by hand", file, e);
        }
    }

    /** Stops the import under way, which is marked failed with its kept batches, and drops the queue. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("The import thread did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        active.values().forEach(job -> {
            job.failed(clock.instant(), INTERRUPTED);
            saveQuietly(job);
        });
    }
}
