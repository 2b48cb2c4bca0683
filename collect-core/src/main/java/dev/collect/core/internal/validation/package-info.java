/** Jakarta Bean Validation through Hibernate Validator, with one shared factory. */
package dev.collect.core.internal.validation;
