package io.github.hidlr.djl.group;

import ai.djl.nn.Parameter;

/**
 * A parameter tensor, or a range of its rows, that belongs to one group.
 *
 * @param name the parameter's full name
 * @param parameter the parameter
 * @param group index of the group in the layout
 * @param fromRow first row (dimension 0), inclusive; 0 for a whole tensor
 * @param toRow end row, exclusive; the tensor's row count for a whole tensor
 * @param wholeTensor whether the member is the whole tensor
 * @param size number of scalar parameters in the member
 */
public record GroupMember(
    String name, Parameter parameter, int group, long fromRow, long toRow, boolean wholeTensor,
    long size) {}
