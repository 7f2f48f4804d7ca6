package dev.beckon.scaleout;

import dev.beckon.config.ConfigException;
import dev.beckon.config.Deployment;
import dev.beckon.store.StoreException;
import dev.beckon.store.postgres.PostgresDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of a scale-out node ({@code BECKON_DEPLOYMENT=scale-out}), as far as it exists: it opens
 * the metadata database in PostgreSQL and brings it to the current schema, which also proves the
 * PostgreSQL settings right. The rest of a node (the event store and the segment engine on
 * ClickHouse, ingestion through Kafka and its consumers) is not wired into the server yet
 * (docs/scale-out.md), so the start then stops with a message that says so, rather than serving
 * requests with half a deployment.
 */
public final class ScaleOutNode {

    private static final Logger log = LoggerFactory.getLogger(ScaleOutNode.class);

    private ScaleOutNode() {}

    /**
     * Opens and migrates PostgreSQL, closes it, then refuses the start.
     *
     * @throws StoreException when PostgreSQL cannot be reached, refuses the user, or cannot be migrated
     * @throws ConfigException always otherwise: the scale-out deployment does not serve yet
     */
    public static void start(Deployment.ScaleOut deployment) {
        try (var metadata = PostgresDatabase.open(deployment.postgres())) {
            log.info("The metadata database {} is at the current schema", metadata.describe());
        }
        throw new ConfigException(Deployment.VARIABLE + "=scale-out is not yet available: the metadata database in"
                + " PostgreSQL is ready (" + deployment.postgres().url() + "), but the event store on ClickHouse and"
                + " ingestion through Kafka are not wired into the server yet (docs/scale-out.md); run the embedded"
                + " deployment meanwhile");
    }
}
