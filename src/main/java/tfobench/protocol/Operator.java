package tfobench.protocol;

/** The five arithmetic operators of CALCULATE MATH/1.1, each written on the wire as one ASCII character. */
public enum Operator {
    ADD('+'), SUBTRACT('-'), MULTIPLY('*'), DIVIDE('/'), REMAINDER('%');

    private final char symbol;

    Operator(char symbol) {
        this.symbol = symbol;
    }

    /** The character that stands for this operator in an {@code Operator:} header. */
    public char symbol() {
        return symbol;
    }

    /** The operator written as {@code c}; IllegalArgumentException if {@code c} is none of {@code + - * / %}. */
    public static Operator fromSymbol(char c) {
        Operator op = forSymbol(c);
        if (op == null) {
            throw new IllegalArgumentException("unknown operator \"" + c + "\"");
        }
        return op;
    }

    /** Like {@link #fromSymbol} but null when unknown, so decoders need no exception on their path. */
    static Operator forSymbol(int c) {
        switch (c) {
            case '+': return ADD;
            case '-': return SUBTRACT;
            case '*': return MULTIPLY;
            case '/': return DIVIDE;
            case '%': return REMAINDER;
            default: return null;
        }
    }
}
