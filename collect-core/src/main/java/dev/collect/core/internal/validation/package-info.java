/** Jakarta Bean Validation through Hibernate Validator, with one shared factory. */
@NullMarked
package dev.collect.core.internal.validation;

import org.jspecify.annotations.NullMarked;
