package dev.beckon.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A good row of an import file.
 *
 * @param line the line of the file where the row starts, from 1 (the header is line 1)
 * @param userId the custom user id, checked as ingestion checks it
 * @param properties the typed values of the row's non-empty property cells; possibly empty
 */
public record ImportRow(long line, String userId, ObjectNode properties) {}
