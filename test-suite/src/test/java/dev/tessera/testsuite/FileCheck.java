package dev.tessera.testsuite;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small FileCheck: matches {@code CHECK}, {@code CHECK-NEXT} and {@code CHECK-NOT} directives against
 * output, in order. A pattern is literal text in which {@code {{regex}}} embeds a regular expression;
 * surrounding whitespace is ignored. Returns null on success or a message saying which directive failed
 * and where.
 */
final class FileCheck {

    enum Kind { CHECK, NEXT, NOT }

    record Directive(Kind kind, String pattern, int line) {
        Pattern regex() {
            StringBuilder re = new StringBuilder();
            Matcher m = Pattern.compile("\\{\\{(.*?)}}").matcher(pattern);
            int last = 0;
            while (m.find()) {
                re.append(Pattern.quote(pattern.substring(last, m.start()))).append(m.group(1));
                last = m.end();
            }
            re.append(Pattern.quote(pattern.substring(last)));
            return Pattern.compile(re.toString());
        }
    }

    private static final Pattern DIRECTIVE = Pattern.compile("^\\s*(?://|#)\\s*(CHECK|CHECK-NEXT|CHECK-NOT):(.*)$");

    private FileCheck() {}

    static List<Directive> directives(String checkFile) {
        List<Directive> ds = new ArrayList<>();
        String[] lines = checkFile.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = DIRECTIVE.matcher(lines[i]);
            if (m.matches()) {
                Kind k = switch (m.group(1)) {
                    case "CHECK" -> Kind.CHECK;
                    case "CHECK-NEXT" -> Kind.NEXT;
                    default -> Kind.NOT;
                };
                ds.add(new Directive(k, m.group(2).strip(), i + 1));
            }
        }
        return ds;
    }

    static String check(List<Directive> directives, String output) {
        String[] lines = output.split("\n", -1);
        int pos = 0; // next line to search
        int lastMatch = -1;
        List<Directive> pendingNot = new ArrayList<>();
        for (Directive d : directives) {
            Pattern re = d.regex();
            switch (d.kind()) {
                case NOT -> pendingNot.add(d);
                case NEXT -> {
                    int want = lastMatch + 1;
                    if (lastMatch < 0 || want >= lines.length || !re.matcher(lines[want]).find()) {
                        return "line " + d.line() + ": CHECK-NEXT: '" + d.pattern() + "' not on the line after the previous match"
                                + (want < lines.length && want >= 0 ? " (found: '" + lines[want] + "')" : "");
                    }
                    String not = checkNot(pendingNot, lines, pos, want);
                    if (not != null) {
                        return not;
                    }
                    lastMatch = want;
                    pos = want + 1;
                }
                case CHECK -> {
                    int found = -1;
                    for (int i = pos; i < lines.length; i++) {
                        if (re.matcher(lines[i]).find()) {
                            found = i;
                            break;
                        }
                    }
                    if (found < 0) {
                        return "line " + d.line() + ": CHECK: '" + d.pattern() + "' not found after output line " + pos;
                    }
                    String not = checkNot(pendingNot, lines, pos, found);
                    if (not != null) {
                        return not;
                    }
                    lastMatch = found;
                    pos = found + 1;
                }
            }
        }
        return checkNot(pendingNot, lines, pos, lines.length);
    }

    private static String checkNot(List<Directive> nots, String[] lines, int from, int to) {
        for (Directive n : nots) {
            Pattern re = n.regex();
            for (int i = from; i < to; i++) {
                if (re.matcher(lines[i]).find()) {
                    return "line " + n.line() + ": CHECK-NOT: '" + n.pattern() + "' found at output line " + (i + 1)
                            + ": '" + lines[i] + "'";
                }
            }
        }
        nots.clear();
        return null;
    }
}
