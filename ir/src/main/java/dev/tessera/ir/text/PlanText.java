package dev.tessera.ir.text;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.Shape;
import dev.tessera.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * The program head that tile and loop text share: {@code program @name(%x: f32[N, D]) -> (%out0: f32[N])} and
 * an opening brace, followed by {@code temp %t: f32[N]} and {@code view %v: f32[N, 1] = %t} lines.
 */
public final class PlanText {

    private PlanText() {}

    /** A parsed program head: its name and buffer plan; kernels and the closing brace follow. */
    public record Head(String name, BufferPlan plan) {}

    public static void printHead(StringBuilder sb, String name, BufferPlan plan) {
        sb.append("program @").append(TokenCursor.checkSigilName(name, "program")).append('(');
        params(sb, plan.inputs());
        sb.append(") -> (");
        params(sb, plan.outputs());
        sb.append(") {\n");
        for (Buffer t : plan.temps()) {
            sb.append("  temp %").append(t.name()).append(": ").append(t.type()).append('\n');
        }
        for (BufferPlan.View v : plan.views()) {
            sb.append("  view %").append(v.buffer().name()).append(": ").append(v.buffer().type())
                    .append(" = %").append(TokenCursor.checkSigilName(v.of(), "view target")).append('\n');
        }
    }

    private static void params(StringBuilder sb, List<Buffer> buffers) {
        for (int i = 0; i < buffers.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('%').append(buffers.get(i).name()).append(": ").append(buffers.get(i).type());
        }
    }

    public static Head parseHead(TokenCursor c) {
        c.expectWord("program");
        String name = c.expect(Token.Kind.AT_NAME, "a program name '@name'").text();
        c.expectPunct("(");
        List<Buffer> inputs = parseParams(c);
        c.expectPunct("->");
        c.expectPunct("(");
        List<Buffer> outputs = parseParams(c);
        c.expectPunct("{");
        List<Buffer> temps = new ArrayList<>();
        List<BufferPlan.View> views = new ArrayList<>();
        while (true) {
            if (c.acceptWord("temp")) {
                temps.add(parseBuffer(c));
            } else if (c.acceptWord("view")) {
                Buffer b = parseBuffer(c);
                c.expectPunct("=");
                views.add(new BufferPlan.View(b, c.expect(Token.Kind.PERCENT_NAME, "a buffer name '%name'").text()));
            } else {
                return new Head(name, new BufferPlan(inputs, outputs, temps, views));
            }
        }
    }

    /** {@code %a: f32[N], %b: i32[]} up to and including the closing parenthesis. */
    private static List<Buffer> parseParams(TokenCursor c) {
        List<Buffer> out = new ArrayList<>();
        if (c.acceptPunct(")")) {
            return out;
        }
        do {
            out.add(parseBuffer(c));
        } while (c.acceptPunct(","));
        c.expectPunct(")");
        return out;
    }

    private static Buffer parseBuffer(TokenCursor c) {
        String name = c.expect(Token.Kind.PERCENT_NAME, "a buffer name '%name'").text();
        c.expectPunct(":");
        return new Buffer(name, parseType(c));
    }

    /** {@code f32[N, 4]}; a scalar is {@code f32[]}. Graph IR writes its types the same way. */
    public static TensorType parseType(TokenCursor c) {
        DType dtype = parseDType(c);
        c.expectPunct("[");
        List<Dim> dims = new ArrayList<>();
        if (!c.acceptPunct("]")) {
            do {
                dims.add(parseDim(c));
            } while (c.acceptPunct(","));
            c.expectPunct("]");
        }
        return new TensorType(dtype, new Shape(dims));
    }

    public static DType parseDType(TokenCursor c) {
        Token t = c.peek();
        if (t.kind() == Token.Kind.IDENT) {
            var d = DType.parse(t.text());
            if (d.isPresent()) {
                c.next();
                return d.get();
            }
        }
        throw c.expected("an element type (f32, f16, bf16, i32, bool, f64)");
    }

    public static Dim parseDim(TokenCursor c) {
        Token t = c.next();
        if (t.kind() == Token.Kind.NUMBER) {
            try {
                return new Dim.Lit(Long.parseLong(t.text()));
            } catch (NumberFormatException e) {
                throw c.error(t, "bad dimension " + t.describe());
            }
        }
        if (t.kind() == Token.Kind.IDENT && Dim.NAME.matcher(t.text()).matches()) {
            return new Dim.Sym(t.text());
        }
        throw c.error(t, "expected a dimension (a number or a name) but found " + t.describe());
    }
}
