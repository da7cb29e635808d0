package dev.multislot.examples.signing;

/** A request field that cannot be used; answered 400 with the field's name. */
final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    BadRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
