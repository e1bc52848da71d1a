package dev.netstack.socket.netns;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that joins or sends multicast. Its tag keeps it out of the default test execution and in the
 * {@code netns} one, whose JVM runs in a private network namespace; {@link NetworkNamespace} checks that namespace
 * before every test and skips the tests anywhere else.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(InNetworkNamespace.TAG)
@ExtendWith(NetworkNamespace.class)
public @interface InNetworkNamespace {

    /** The tag of the tests that run only in the {@code netns} execution. */
    String TAG = "netns";

}
