package dev.janus;

/** Thrown in anomaly mode ({@link Janus#detectAnomaly()}) by the first op whose output holds NaN or Inf. */
public class AnomalyException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    public AnomalyException(String message) {
        super(message);
    }
}
