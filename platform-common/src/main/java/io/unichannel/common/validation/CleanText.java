package io.unichannel.common.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** Bean-validation face of {@link Text}: the text a database can store and a channel can show. */
@Documented
@Constraint(validatedBy = CleanText.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE,
        ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface CleanText {

    String message() default "must be text without control characters or invalid Unicode, at most {max} characters";

    int max();

    /** Whether line breaks and tabs are allowed. */
    boolean multiLine() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks one value against {@link Text#problem}. */
    class Validator implements ConstraintValidator<CleanText, String> {
        private int max;
        private boolean multiLine;

        @Override
        public void initialize(CleanText annotation) {
            max = annotation.max();
            multiLine = annotation.multiLine();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem = Text.problem(value, max, multiLine);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must not be " + problem.replace("contains", "text that contains"))
                    .addConstraintViolation();
            return false;
        }
    }
}
