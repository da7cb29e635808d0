package dev.multislot.discovery.internal;

import dev.multislot.api.ClusterId;
import dev.multislot.api.errors.ClusterNotFoundException;
import dev.multislot.api.errors.DiscoveryAccessDeniedException;
import dev.multislot.api.errors.DiscoveryCredentialsException;
import dev.multislot.api.errors.DiscoveryEndpointException;
import dev.multislot.api.errors.DiscoveryException;
import dev.multislot.api.errors.DiscoveryInvalidRequestException;
import dev.multislot.api.errors.DiscoveryServiceException;
import dev.multislot.api.errors.DiscoveryThrottledException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * Turns what the SDK throws into the API's {@link DiscoveryException} subclasses, each with a
 * message that names the region (and where it came from), the endpoint and what to do next.
 */
public final class ErrorTranslator {

    private static final Set<String> ACCESS_DENIED = Set.of("CloudHsmAccessDeniedException", "AccessDeniedException");
    private static final Set<String> CREDENTIALS_REJECTED = Set.of("UnrecognizedClientException", "InvalidClientTokenId",
            "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredTokenException", "ExpiredToken",
            "MissingAuthenticationTokenException", "IncompleteSignatureException", "InvalidAccessKeyId");
    private static final Set<String> INVALID = Set.of("CloudHsmInvalidRequestException", "ValidationException",
            "SerializationException", "InvalidParameterValueException");

    private final Duration apiCallTimeout;

    public ErrorTranslator(Duration apiCallTimeout) {
        this.apiCallTimeout = apiCallTimeout;
    }

    /** The cluster not found in the region asked. */
    public ClusterNotFoundException notFound(ClusterId clusterId, DiscoveryTarget target) {
        return new ClusterNotFoundException("not found by DescribeClusters in region " + target.region().describe()
                + " at " + target.endpointDescription()
                + "; check the cluster id, or set --region / AWS_REGION to the region the cluster is in", clusterId, null);
    }

    /**
     * The typed error for a failed lookup.
     *
     * @param error what the SDK (or the code around it) threw
     * @param clusterIds the clusters the call was for
     * @param target where the call went
     */
    public DiscoveryException translate(Throwable error, List<ClusterId> clusterIds, DiscoveryTarget target) {
        Throwable e = unwrap(error);
        if (e instanceof DiscoveryException known) {
            return known;
        }
        ClusterId id = clusterIds.size() == 1 ? clusterIds.get(0) : null;
        String what = (clusterIds.size() == 1 ? "" : "clusters " + names(clusterIds) + ": ")
                + "DescribeClusters in region " + target.region().describe() + " at " + target.endpointDescription();

        if (find(e, CredentialsUnavailableException.class) != null) {
            return new DiscoveryCredentialsException("no AWS credentials for " + what + ": "
                    + find(e, CredentialsUnavailableException.class).getMessage()
                    + ". Provide them with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with AWS_PROFILE naming a profile in "
                    + "~/.aws/credentials or ~/.aws/config (aws configure, or aws sso login), or with an instance or container role",
                    id, e);
        }
        if (e instanceof AwsServiceException service) {
            return translateService(service, what, id, target);
        }
        if (find(e, ApiCallTimeoutException.class) != null || find(e, ApiCallAttemptTimeoutException.class) != null
                || hasTimeout(e)) {
            return new DiscoveryEndpointException(what + ": no answer within the API call timeout of " + seconds(apiCallTimeout)
                    + "; check that " + target.endpointDescription() + " is reachable from here (network, proxy, VPC endpoint),"
                    + " or raise the API call timeout", id, e);
        }
        if (isUnreadableAnswer(e)) {
            return new DiscoveryServiceException(what + ": the endpoint's answer is not valid JSON of the CloudHSM API ("
                    + clip(describe(e)) + "); check that " + target.endpointDescription()
                    + " is a CloudHSM API endpoint (--endpoint), not another service or a proxy's error page", id, e);
        }
        IOException io = find(e, IOException.class);
        if (io != null) {
            return new DiscoveryEndpointException(what + ": cannot reach the endpoint (" + describe(io) + "); check the endpoint"
                    + (target.endpoint().isPresent() ? " URL (--endpoint)" : " and the region")
                    + " and network access to it (proxy, firewall, VPC endpoint)", id, e);
        }
        return new DiscoveryServiceException(what + " failed: " + describe(e)
                + "; retry later, and if it persists, report it with this message", id, e);
    }

    private DiscoveryException translateService(AwsServiceException e, String what, ClusterId id, DiscoveryTarget target) {
        String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null ? e.awsErrorDetails().errorCode() : "";
        String said = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : String.valueOf(e.getMessage());
        String answer = code + " (HTTP " + e.statusCode() + "): " + said;
        if (e.isThrottlingException()) {
            Integer attempts = e.numAttempts();
            return new DiscoveryThrottledException(what + ": throttled (" + answer + ") "
                    + (attempts != null ? "on all " + attempts + " attempts" : "until the retries ran out")
                    + "; retry later, discover less often, or allow more retries", id, e);
        }
        if (ACCESS_DENIED.contains(code)) {
            return new DiscoveryAccessDeniedException(what + ": access denied (" + answer + "); allow "
                    + "cloudhsm:DescribeClusters to the AWS identity in use (IAM policy), or use other credentials", id, e);
        }
        if (CREDENTIALS_REJECTED.contains(code)) {
            return new DiscoveryAccessDeniedException(what + ": the AWS credentials were rejected (" + answer + "); check the "
                    + "access key and secret, refresh expired session credentials (aws sso login), and the system clock", id, e);
        }
        if (INVALID.contains(code)) {
            return new DiscoveryInvalidRequestException(what + ": the request was refused as invalid (" + answer + "); check "
                    + "the cluster id (AWS ids look like cluster-abcdefghijk)", id, e);
        }
        if (code.equals("CloudHsmResourceNotFoundException") && id != null) {
            return notFound(id, target);
        }
        return new DiscoveryServiceException(what + ": the CloudHSM API failed (" + answer + "); retry later, and if it "
                + "persists check the AWS Health Dashboard for CloudHSM in that region", id, e);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The lookup as a whole (every page) took longer than its deadline. */
    public DiscoveryEndpointException lookupTimedOut(Duration lookupTimeout, List<ClusterId> clusterIds, DiscoveryTarget target) {
        ClusterId id = clusterIds.size() == 1 ? clusterIds.get(0) : null;
        return new DiscoveryEndpointException((clusterIds.size() == 1 ? "" : "clusters " + names(clusterIds) + ": ")
                + "DescribeClusters in region " + target.region().describe() + " at " + target.endpointDescription()
                + ": no complete answer (all pages) within the lookup deadline of " + seconds(lookupTimeout)
                + "; check that the endpoint is the CloudHSM API and is answering promptly", id, null);
    }

    /** The SDK could not parse the answer: a JSON parser's error (the SDK's own shaded Jackson) in the chain. */
    private static boolean isUnreadableAnswer(Throwable e) {
        for (Throwable t = e, guard = null; t != null && t != guard; guard = t, t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.contains("jackson") && (name.endsWith("JsonParseException") || name.endsWith("JsonEOFException")
                    || name.endsWith("MismatchedInputException") || name.endsWith("JsonProcessingException"))) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().startsWith("Unable to unmarshall response")) {
                return true;
            }
        }
        return false;
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e, guard = null; t != null && t != guard; guard = t, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** A timeout from Netty or java.util.concurrent anywhere in the chain, by name to avoid a Netty dependency. */
    private static boolean hasTimeout(Throwable e) {
        for (Throwable t = e, guard = null; t != null && t != guard; guard = t, t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t.getClass().getSimpleName().endsWith("TimeoutException")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        if (root == t || root.getMessage() == null || top.contains(root.getMessage())) {
            return top;
        }
        return top + ": " + root.getMessage();
    }

    private static String names(List<ClusterId> ids) {
        int shown = Math.min(5, ids.size());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            sb.append(i > 0 ? ", " : "").append(ids.get(i));
        }
        if (ids.size() > shown) {
            sb.append(" and ").append(ids.size() - shown).append(" more");
        }
        return sb.toString();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
