package dev.janus.io.tensorboard;

import java.nio.charset.StandardCharsets;

/**
 * Encodes the {@code Event} messages of an event file. Field numbers are those of TensorFlow's
 * {@code core/util/event.proto}, {@code core/framework/summary.proto}, {@code tensor.proto} and
 * {@code tensor_shape.proto} (as copied into TensorBoard's {@code compat/proto}); only the fields Janus writes
 * are named here.
 */
final class EventProtos {
    /** What the first record of every event file says; TensorBoard checks the {@code brain.Event:} prefix. */
    static final String FILE_VERSION = "brain.Event:2";

    // Event
    private static final int EVENT_WALL_TIME = 1;
    private static final int EVENT_STEP = 2;
    private static final int EVENT_FILE_VERSION = 3;
    private static final int EVENT_GRAPH_DEF = 4;
    private static final int EVENT_SUMMARY = 5;
    // Summary, Summary.Value
    private static final int SUMMARY_VALUE = 1;
    private static final int VALUE_TAG = 1;
    private static final int VALUE_SIMPLE_VALUE = 2;
    private static final int VALUE_HISTO = 5;
    private static final int VALUE_TENSOR = 8;
    private static final int VALUE_METADATA = 9;
    // SummaryMetadata, SummaryMetadata.PluginData
    private static final int METADATA_PLUGIN_DATA = 1;
    private static final int PLUGIN_DATA_PLUGIN_NAME = 1;
    // HistogramProto
    private static final int HISTO_MIN = 1;
    private static final int HISTO_MAX = 2;
    private static final int HISTO_NUM = 3;
    private static final int HISTO_SUM = 4;
    private static final int HISTO_SUM_SQUARES = 5;
    private static final int HISTO_BUCKET_LIMIT = 6;
    private static final int HISTO_BUCKET = 7;
    // TensorProto, TensorShapeProto, TensorShapeProto.Dim
    private static final int TENSOR_DTYPE = 1;
    private static final int TENSOR_SHAPE = 2;
    private static final int TENSOR_STRING_VAL = 8;
    static final int SHAPE_DIM = 2;
    static final int DIM_SIZE = 1;
    /** types.proto's {@code DT_STRING}. */
    private static final int DT_STRING = 7;

    private EventProtos() {}

    static byte[] fileVersion(double wallTime) {
        return event(wallTime, 0).string(EVENT_FILE_VERSION, FILE_VERSION).toByteArray();
    }

    static byte[] graph(double wallTime, byte[] graphDef) {
        return event(wallTime, 0).bytes(EVENT_GRAPH_DEF, graphDef).toByteArray();
    }

    /** A scalar in the legacy {@code simple_value} form, which every TensorBoard version reads. */
    static byte[] scalar(double wallTime, long step, String tag, float value) {
        return summary(wallTime, step, value(tag).float32(VALUE_SIMPLE_VALUE, value));
    }

    static byte[] histogram(double wallTime, long step, String tag, Histogram h) {
        ProtoMessage histo = new ProtoMessage()
                .float64(HISTO_MIN, h.min())
                .float64(HISTO_MAX, h.max())
                .float64(HISTO_NUM, h.num())
                .float64(HISTO_SUM, h.sum())
                .float64(HISTO_SUM_SQUARES, h.sumSquares())
                .packedFloat64(HISTO_BUCKET_LIMIT, h.bucketLimit())
                .packedFloat64(HISTO_BUCKET, h.bucket());
        return summary(wallTime, step, value(tag).message(VALUE_HISTO, histo));
    }

    /** Text for TensorBoard's text plugin: a one-element {@code DT_STRING} tensor tagged with plugin "text". */
    static byte[] text(double wallTime, long step, String tag, String text) {
        ProtoMessage shape = new ProtoMessage().message(SHAPE_DIM, new ProtoMessage().int64(DIM_SIZE, 1));
        ProtoMessage tensor = new ProtoMessage()
                .int32(TENSOR_DTYPE, DT_STRING)
                .message(TENSOR_SHAPE, shape)
                .bytes(TENSOR_STRING_VAL, text.getBytes(StandardCharsets.UTF_8));
        ProtoMessage metadata = new ProtoMessage()
                .message(METADATA_PLUGIN_DATA, new ProtoMessage().string(PLUGIN_DATA_PLUGIN_NAME, "text"));
        return summary(wallTime, step, value(tag).message(VALUE_METADATA, metadata).message(VALUE_TENSOR, tensor));
    }

    private static ProtoMessage event(double wallTime, long step) {
        return new ProtoMessage().float64(EVENT_WALL_TIME, wallTime).int64(EVENT_STEP, step);
    }

    private static ProtoMessage value(String tag) {
        return new ProtoMessage().string(VALUE_TAG, tag);
    }

    private static byte[] summary(double wallTime, long step, ProtoMessage value) {
        ProtoMessage summary = new ProtoMessage().message(SUMMARY_VALUE, value);
        return event(wallTime, step).message(EVENT_SUMMARY, summary).toByteArray();
    }
}
