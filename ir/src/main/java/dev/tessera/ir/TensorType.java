package dev.tessera.ir;

/** The type of a tensor value: element type and shape, printed as {@code f32[N, D]}. */
public record TensorType(DType dtype, Shape shape) {

    public static TensorType scalar(DType dtype) {
        return new TensorType(dtype, Shape.SCALAR);
    }

    public int rank() {
        return shape.rank();
    }

    public TensorType withDtype(DType d) {
        return new TensorType(d, shape);
    }

    public TensorType withShape(Shape s) {
        return new TensorType(dtype, s);
    }

    @Override
    public String toString() {
        return dtype.irName() + shape;
    }
}
