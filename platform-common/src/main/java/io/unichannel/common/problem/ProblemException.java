package io.unichannel.common.problem;

import java.net.URI;

/** Thrown by service code to answer with a specific problem, e.g. a 409 for an illegal transition. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public ProblemException(URI type, String title, int status, String detail) {
        this(new Problem(type, title, status, detail));
    }

    public Problem problem() {
        return problem;
    }
}
