package dev.beckon.campaign;

/** A campaign definition that cannot be used. The message starts with the field's path, then what is wrong. */
public final class InvalidCampaignException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidCampaignException(String path, String problem) {
        this(path + ": " + problem);
    }

    InvalidCampaignException(String message) {
        super(message, null, false, false);
    }
}
