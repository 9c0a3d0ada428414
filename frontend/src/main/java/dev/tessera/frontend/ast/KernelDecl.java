package dev.tessera.frontend.ast;

import dev.tessera.ir.DType;
import dev.tessera.ir.Dim;
import dev.tessera.ir.Shape;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.TensorType;
import java.util.List;
import java.util.Map;

/** One {@code kernel} of a file as parsed: signature and statements. */
public record KernelDecl(
        String name,
        SourceSpan nameSpan,
        List<Param> params,
        List<TypeRef> results,
        List<Stmt> body,
        SourceSpan span,
        SourceSpan closingBrace) {

    public KernelDecl {
        params = List.copyOf(params);
        results = List.copyOf(results);
        body = List.copyOf(body);
    }

    /** {@code name: type}. */
    public record Param(String name, SourceSpan span, TypeRef type) {}

    /** A written tensor type such as {@code f32[N, 4]}. */
    public record TypeRef(DType dtype, List<Dim> dims, SourceSpan span) {
        public TypeRef {
            dims = List.copyOf(dims);
        }

        /** The type with symbolic dims replaced as {@code subst} says (the identity where it has no entry). */
        public TensorType resolve(Map<String, Dim> subst) {
            List<Dim> out = dims.stream()
                    .map(d -> d instanceof Dim.Sym s ? subst.getOrDefault(s.name(), d) : d)
                    .toList();
            return new TensorType(dtype, new Shape(out));
        }
    }
}
