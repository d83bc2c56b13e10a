"""The package version (its own module, so modules inside the package read it without importing the
package itself)."""
__version__ = "1.0.0"
