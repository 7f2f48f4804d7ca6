/**
 * The scale-out deployment's first layer (docs/scale-out.md): the ingestion path from Kafka to
 * ClickHouse. {@code kafka} publishes accepted events to the ingestion log and consumes them into
 * ClickHouse; {@code clickhouse} talks to ClickHouse over its HTTP interface, keeps its schema and
 * stores events once. Tested against a real broker and a real ClickHouse server, and not yet wired
 * into the running server: {@link dev.beckon.scaleout.ScaleOutNode} opens the metadata database in
 * PostgreSQL, then refuses the start; the embedded deployment is the only one that {@code Beckon
 * serve} runs.
 */
package dev.beckon.scaleout;
