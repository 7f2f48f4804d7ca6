package dev.beckon.ingest;

/** Checks and repairs of strings from the internet, before they reach storage or a page. */
public final class Text {

    private Text() {}

    /** Whether {@code s} has no control character and no unpaired UTF-16 surrogate. */
    public static boolean isClean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c)
                        || i + 1 == s.length()
                        || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /**
     * Whether {@code s} holds a bidirectional override, U+202D or U+202E, which shows the text
     * after it in the other direction: "Sale gpj.exe" can read as "Sale exe.jpg". The other
     * bidirectional controls (embeddings, isolates and their ends) are what right-to-left authors
     * use, and stay allowed.
     */
    public static boolean overridesDirection(String s) {
        return s.indexOf('\u202D') >= 0 || s.indexOf('\u202E') >= 0;
    }

    /**
     * {@code s} with every unpaired surrogate replaced by U+FFFD, so that it can be stored as
     * UTF-8. Returns {@code s} itself when there is none.
     */
    static String withoutLoneSurrogates(String s) {
        StringBuilder repaired = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired =
                    Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (paired) {
                if (repaired != null) {
                    repaired.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (repaired == null) {
                    repaired = new StringBuilder(s.length()).append(s, 0, i);
                }
                repaired.append('\uFFFD');
            } else if (repaired != null) {
                repaired.append(c);
            }
        }
        return repaired == null ? s : repaired.toString();
    }
}
