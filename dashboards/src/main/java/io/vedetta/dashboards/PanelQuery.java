package io.vedetta.dashboards;

/** One query ({@code targets[]} entry) of one panel, with enough context to name it in a failure. */
public record PanelQuery(String dashboard, int panelId, String panelTitle, String refId, String expr) {

    /** Where the query is, e.g. {@code pods.json panel 12 "OOM kills" query A}. */
    public String where() {
        return dashboard + " panel " + panelId + " \"" + panelTitle + "\" query " + refId;
    }
}
