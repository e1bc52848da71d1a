package dev.netstack.socket.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure of a run, by metric key and table column, with the remarks that go under the table.
 */
final class Results {

    private final Map<String, Map<String, Double>> values = new HashMap<>();

    private final Map<String, Map<String, String>> cellNotes = new HashMap<>();

    private final List<String> notes = new ArrayList<>();

    void put(String key, String column, double value, String note) {
        this.values.computeIfAbsent(key, k -> new HashMap<>()).put(column, value);
        if (note != null && !note.isBlank()) {
            this.cellNotes.computeIfAbsent(key, k -> new HashMap<>()).put(column, note);
        }
    }

    /** A cell that produced no figure: the table shows the reason as a remark. */
    void missing(String key, String column, String reason) {
        this.cellNotes.computeIfAbsent(key, k -> new HashMap<>()).put(column, reason);
    }

    Double get(String key, String column) {
        Map<String, Double> row = this.values.get(key);
        return row == null ? null : row.get(column);
    }

    String note(String key, String column) {
        Map<String, String> row = this.cellNotes.get(key);
        return row == null ? null : row.get(column);
    }

    boolean hasRow(String key) {
        return this.values.containsKey(key) || this.cellNotes.containsKey(key);
    }

    void note(String text) {
        this.notes.add(text);
    }

    List<String> notes() {
        return this.notes;
    }

}
