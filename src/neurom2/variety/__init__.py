"""The neurovariety: dimension, implicit equations (elimination and interpolation), their verification."""
